using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using DeepSharp.Quantization.Kernels;

namespace DeepSharp.Quantization;

/// <summary>
/// Q4_1: 32 elements as <c>half d; half m; u8 qs[16]</c>, nibble order as Q4_0, <c>y = q·d + m</c>.
/// Dotted with Q8_1 activations, whose stored sum carries the <c>m</c> term.
/// </summary>
internal sealed class Q4_1Format : AffineBlockFormat
{
    private Q4_1Format()
        : base(GgmlType.Q4_1, 15)
    {
    }

    public static Q4_1Format Instance { get; } = new();

    protected override void UnpackCodes(ReadOnlySpan<byte> block, Span<byte> codes) =>
        LegacyCodes.UnpackNibbles(block.Slice(4, 16), codes);

    protected override void PackCodes(ReadOnlySpan<byte> codes, Span<byte> block) =>
        LegacyCodes.PackNibbles(codes, block.Slice(4, 16));

    private protected override TileKernel? SimdKernel(KernelPath path) => Block32Kernels<Decoder>.For(path);

    /// <summary>SIMD decoding: the nibbles as codes 0..15.</summary>
    internal readonly struct Decoder : IBlock32<Decoder>
    {
        public static int Bytes => 20;

        public static bool IsAffine => true;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Values(ref byte block, out Vector128<byte> high) => LegacyCodes.Nibbles(ref Unsafe.Add(ref block, 4), out high);

        /// <summary>The 256-bit form (AVX2 paths).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<byte> Values256(ref byte block) =>
            LegacyCodes.Nibbles256(ref Unsafe.Add(ref block, 4));
    }
}
