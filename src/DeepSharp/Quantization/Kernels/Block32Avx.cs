using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DeepSharp.Compute;

namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// The 256-bit kernel of the 32-element formats: AVX2 or AVX-VNNI, as <typeparamref name="TDot"/> says.
/// </summary>
/// <remarks>
/// Lanes: one block per ymm register, byte j = element j as the format's decoder gives it, against the 32
/// activation codes loaded as they lie. Signed values use the sign trick: <c>|v|</c> as unsigned bytes times the
/// activation code carrying v's sign (<c>vpsignb</c>) is <c>v·a</c> exactly, since <c>|v| ≤ 128</c> and
/// <c>|a| ≤ 127</c>. The byte dot leaves eight ints whose total is the block's integer sum <c>Σ v·a</c> of the
/// scalar reference. Converted to float (exact, the sums stay below 2^24) and multiplied by <c>d_w·d_a</c>
/// they accumulate lane by lane, and the lanes are added at the end. So only the order of the float additions
/// differs from the reference, which adds block after block.
/// </remarks>
internal readonly struct Block32Avx<TBlock, TDot> : IBlock32Kernel
    where TBlock : struct, IBlock32<TBlock>
    where TDot : struct, IByteDot256
{
    public static void Dot<TActs>(
        ref byte weights, ref float weightScales, int blocks, ref byte activations, nint activationBytes,
        ref float activationScales, nint activationScaleStride, ref float destination, nint destinationStride)
        where TActs : struct, IActivationCount
    {
        int activationBlock = TBlock.IsAffine ? Block32.Q8_1Bytes : Block32.Q8_0Bytes;
        Vector256<float> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
        for (int b = 0; b < blocks; b++)
        {
            StreamPrefetch.Ahead(ref Unsafe.Add(ref weights, b * TBlock.Bytes), TBlock.Bytes);
            var v = Values(ref Unsafe.Add(ref weights, b * TBlock.Bytes));
            var u = TBlock.IsAffine ? v : Avx2.Abs(v.AsSByte());
            float d = TBlock.IsAffine ? Unsafe.Add(ref weightScales, b) : Fp16.Read(ref Unsafe.Add(ref weights, b * TBlock.Bytes), 0);
            ref byte act = ref Unsafe.Add(ref activations, b * activationBlock);
            ref float actScale = ref Unsafe.Add(ref activationScales, b);
            sum0 = Step(u, v, d * actScale, ref act, sum0);
            if (TActs.Count > 1)
            {
                sum1 = Step(u, v, d * Unsafe.Add(ref actScale, activationScaleStride), ref Unsafe.Add(ref act, activationBytes), sum1);
            }
            if (TActs.Count > 2)
            {
                sum2 = Step(u, v, d * Unsafe.Add(ref actScale, 2 * activationScaleStride), ref Unsafe.Add(ref act, 2 * activationBytes), sum2);
            }
            if (TActs.Count > 3)
            {
                sum3 = Step(u, v, d * Unsafe.Add(ref actScale, 3 * activationScaleStride), ref Unsafe.Add(ref act, 3 * activationBytes), sum3);
            }
        }
        ActivationResults.Store<TActs>(ref destination, destinationStride, LaneSum.Of(sum0), LaneSum.Of(sum1), LaneSum.Of(sum2), LaneSum.Of(sum3));
    }

    public static bool ReadsWeightScales => !TBlock.IsAffine;

    /// <summary>The 32 values (or codes) of one block, element j in byte j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<byte> Values(ref byte block) => TBlock.Values256(ref block);

    /// <summary>
    /// Adds one block's <c>scale·Σ v·a</c> to <paramref name="sum"/>: <paramref name="u"/> holds the codes, or
    /// <c>|v|</c> for signed values, and <paramref name="scale"/> is <c>d_w·d_a</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Step(Vector256<byte> u, Vector256<byte> v, float scale, ref byte act, Vector256<float> sum)
    {
        var a = Vector256.LoadUnsafe(ref act, (nuint)(TBlock.IsAffine ? 4 : 2)).AsSByte();
        var dots = TDot.Add(Vector256<int>.Zero, u, TBlock.IsAffine ? a : Avx2.Sign(a, v.AsSByte()));
        return Vector256.FusedMultiplyAdd(Vector256.Create(scale), Vector256.ConvertToSingle(dots), sum);
    }
}
