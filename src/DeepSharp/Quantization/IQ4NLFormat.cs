using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DeepSharp.Quantization.Kernels;

namespace DeepSharp.Quantization;

/// <summary>
/// IQ4_NL: 32 elements as <c>half d; u8 qs[16]</c>, nibble order as Q4_0, each nibble indexing the non-linear
/// codebook (<see cref="Iq4Codebook"/>): <c>y = d·kv[q]</c>. Dotted with Q8_0 activations.
/// </summary>
internal sealed class IQ4NLFormat : ScaledBlockFormat
{
    private IQ4NLFormat()
        : base(GgmlType.IQ4_NL)
    {
    }

    public static IQ4NLFormat Instance { get; } = new();

    protected override void UnpackValues(ReadOnlySpan<byte> block, Span<sbyte> values)
    {
        var qs = block.Slice(2, 16);
        var kv = Iq4Codebook.Values;
        for (int j = 0; j < 16; j++)
        {
            values[j] = kv[qs[j] & 0xF];
            values[j + 16] = kv[qs[j] >> 4];
        }
    }

    protected override float FitScale(ReadOnlySpan<float> x) => ScaleSearch.FitCodebook(x);

    protected override byte Encode(float v) => (byte)Iq4Codebook.Nearest(v);

    protected override void PackCodes(ReadOnlySpan<byte> codes, Span<byte> block) =>
        LegacyCodes.PackNibbles(codes, block.Slice(2, 16));

    private protected override TileKernel? SimdKernel(KernelPath path) => Block32Kernels<Decoder>.For(path);

    /// <summary>SIMD decoding: each nibble looks its level up in the codebook with one byte shuffle.</summary>
    internal readonly struct Decoder : IBlock32<Decoder>
    {
        public static int Bytes => 18;

        public static bool IsAffine => false;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector128<byte> Values(ref byte block, out Vector128<byte> high)
        {
            var low = LegacyCodes.Nibbles(ref Unsafe.Add(ref block, 2), out high);
            high = Vector128.ShuffleNative(Iq4Codebook.Levels, high);
            return Vector128.ShuffleNative(Iq4Codebook.Levels, low);
        }

        /// <summary>The 256-bit form (AVX2 paths).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public static Vector256<byte> Values256(ref byte block) =>
            Avx2.Shuffle(Vector256.Create(Iq4Codebook.Levels, Iq4Codebook.Levels), LegacyCodes.Nibbles256(ref Unsafe.Add(ref block, 2)));
    }
}
