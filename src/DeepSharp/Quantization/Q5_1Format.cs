using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DeepSharp.Quantization.Kernels;

namespace DeepSharp.Quantization;

/// <summary>
/// Q5_1: 32 elements as <c>half d; half m; u8 qh[4]; u8 qs[16]</c>, 5-bit codes built as in Q5_0 but unsigned,
/// <c>y = q·d + m</c>. Dotted with Q8_1 activations.
/// </summary>
internal sealed class Q5_1Format : AffineBlockFormat
{
    private Q5_1Format()
        : base(GgmlType.Q5_1, 31)
    {
    }

    public static Q5_1Format Instance { get; } = new();

    protected override void UnpackCodes(ReadOnlySpan<byte> block, Span<byte> codes) =>
        LegacyCodes.UnpackFiveBits(block.Slice(4, 4), block.Slice(8, 16), codes);

    protected override void PackCodes(ReadOnlySpan<byte> codes, Span<byte> block) =>
        LegacyCodes.PackFiveBits(codes, block.Slice(4, 4), block.Slice(8, 16));

    private protected override TileKernel? SimdKernel(KernelPath path) => Block32Kernels<Decoder>.For(path);

    /// <summary>SIMD decoding: nibble plus fifth bit, codes 0..31.</summary>
    internal readonly struct Decoder : IBlock32<Decoder>
    {
        public static int Bytes => 24;

        public static bool IsAffine => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Values(ref byte block, out Vector128<byte> high)
        {
            var low = LegacyCodes.Nibbles(ref Unsafe.Add(ref block, 8), out high);
            var fifthLow = LegacyCodes.FifthBits(ref Unsafe.Add(ref block, 4), out var fifthHigh);
            high |= fifthHigh;
            return low | fifthLow;
        }

        /// <summary>The 256-bit form (AVX2 paths).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<byte> Values256(ref byte block) =>
            LegacyCodes.Nibbles256(ref Unsafe.Add(ref block, 8)) | LegacyCodes.FifthBits256(ref Unsafe.Add(ref block, 4));
    }
}
