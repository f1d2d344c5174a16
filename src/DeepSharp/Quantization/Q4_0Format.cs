using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DeepSharp.Quantization.Kernels;

namespace DeepSharp.Quantization;

/// <summary>
/// Q4_0: 32 elements as <c>half d; u8 qs[16]</c>; low nibbles are elements 0..15, high nibbles 16..31,
/// <c>y = (q − 8)·d</c>. Dotted with Q8_0 activations.
/// </summary>
internal sealed class Q4_0Format : ScaledBlockFormat
{
    private Q4_0Format()
        : base(GgmlType.Q4_0)
    {
    }

    public static Q4_0Format Instance { get; } = new();

    protected override void UnpackValues(ReadOnlySpan<byte> block, Span<sbyte> values)
    {
        var qs = block.Slice(2, 16);
        for (int j = 0; j < 16; j++)
        {
            values[j] = (sbyte)((qs[j] & 0xF) - 8);
            values[j + 16] = (sbyte)((qs[j] >> 4) - 8);
        }
    }

    protected override float FitScale(ReadOnlySpan<float> x) => ScaleSearch.FitSigned(x, -8, 7);

    protected override byte Encode(float v) => (byte)(ScaleSearch.SignedCode(v, -8, 7) + 8);

    protected override void PackCodes(ReadOnlySpan<byte> codes, Span<byte> block) =>
        LegacyCodes.PackNibbles(codes, block.Slice(2, 16));

    private protected override TileKernel? SimdKernel(KernelPath path) => Block32Kernels<Decoder>.For(path);

    /// <summary>SIMD decoding: the nibbles minus 8, as signed bytes.</summary>
    internal readonly struct Decoder : IBlock32<Decoder>
    {
        public static int Bytes => 18;

        public static bool IsAffine => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Values(ref byte block, out Vector128<byte> high)
        {
            var eight = Vector128.Create((byte)8);
            var low = LegacyCodes.Nibbles(ref Unsafe.Add(ref block, 2), out high);
            high -= eight;
            return low - eight;
        }

        /// <summary>The 256-bit form (AVX2 paths).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<byte> Values256(ref byte block) =>
            LegacyCodes.Nibbles256(ref Unsafe.Add(ref block, 2)) - Vector256.Create((byte)8);

        public static byte CodeOffset => 8;

        /// <summary>Two blocks' codes (0..15) for the AVX-512 path.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector512<byte> Pair512(ref byte first) => LegacyCodes.NibblePair512(ref Unsafe.Add(ref first, 2), Bytes);
    }
}
