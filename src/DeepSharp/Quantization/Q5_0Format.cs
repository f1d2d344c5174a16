using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DeepSharp.Quantization.Kernels;

namespace DeepSharp.Quantization;

/// <summary>
/// Q5_0: 32 elements as <c>half d; u8 qh[4]; u8 qs[16]</c>. Nibbles as Q4_0; bit j of the little-endian u32
/// <c>qh</c> is the fifth (high) bit of element j. <c>y = (q − 16)·d</c>. Dotted with Q8_0 activations.
/// </summary>
internal sealed class Q5_0Format : ScaledBlockFormat
{
    private Q5_0Format()
        : base(GgmlType.Q5_0)
    {
    }

    public static Q5_0Format Instance { get; } = new();

    protected override void UnpackValues(ReadOnlySpan<byte> block, Span<sbyte> values)
    {
        Span<byte> codes = stackalloc byte[32];
        LegacyCodes.UnpackFiveBits(block.Slice(2, 4), block.Slice(6, 16), codes);
        for (int j = 0; j < 32; j++)
        {
            values[j] = (sbyte)(codes[j] - 16);
        }
    }

    protected override float FitScale(ReadOnlySpan<float> x) => ScaleSearch.FitSigned(x, -16, 15);

    protected override byte Encode(float v) => (byte)(ScaleSearch.SignedCode(v, -16, 15) + 16);

    protected override void PackCodes(ReadOnlySpan<byte> codes, Span<byte> block) =>
        LegacyCodes.PackFiveBits(codes, block.Slice(2, 4), block.Slice(6, 16));

    private protected override TileKernel? SimdKernel(KernelPath path) => Block32Kernels<Decoder>.For(path);

    /// <summary>SIMD decoding: nibble plus fifth bit, minus 16, as signed bytes.</summary>
    internal readonly struct Decoder : IBlock32<Decoder>
    {
        public static int Bytes => 22;

        public static bool IsAffine => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Values(ref byte block, out Vector128<byte> high)
        {
            var sixteen = Vector128.Create((byte)16);
            var low = LegacyCodes.Nibbles(ref Unsafe.Add(ref block, 6), out high);
            var fifthLow = LegacyCodes.FifthBits(ref Unsafe.Add(ref block, 2), out var fifthHigh);
            high = (high | fifthHigh) - sixteen;
            return (low | fifthLow) - sixteen;
        }

        /// <summary>The 256-bit form (AVX2 paths).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<byte> Values256(ref byte block) =>
            (LegacyCodes.Nibbles256(ref Unsafe.Add(ref block, 6)) | LegacyCodes.FifthBits256(ref Unsafe.Add(ref block, 2))) - Vector256.Create((byte)16);

        public static byte CodeOffset => 16;

        /// <summary>Two blocks' codes (0..31) for the AVX-512 path.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<byte> Pair512(ref byte first) =>
            LegacyCodes.NibblePair512(ref Unsafe.Add(ref first, 6), Bytes) | LegacyCodes.FifthBitPair512(ref Unsafe.Add(ref first, 2), Bytes);
    }
}
