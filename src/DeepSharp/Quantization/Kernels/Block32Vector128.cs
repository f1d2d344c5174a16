using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DeepSharp.Quantization.Kernels;

/// <summary>The portable 128-bit kernel of the 32-element formats (SSE without AVX2, NEON).</summary>
/// <remarks>
/// Lanes: a block is two 16-byte registers, elements 0..15 and 16..31, against the matching activation codes.
/// <see cref="ByteDot128.Sums"/> multiplies signed bytes directly (codes 0..31 are non-negative signed bytes),
/// so no sign trick is needed. Its four int lanes per half total the block's integer sum; scaled by
/// <c>d_w·d_a</c> in float they accumulate lane by lane, so only the order of float additions differs from the
/// scalar reference.
/// </remarks>
internal readonly struct Block32Vector128<TBlock> : IBlock32Kernel
    where TBlock : struct, IBlock32<TBlock>
{
    public static void Dot<TActs>(
        ref byte weights, ref float weightScales, int blocks, ref byte activations, nint activationBytes,
        ref float activationScales, nint activationScaleStride, ref float destination, nint destinationStride)
        where TActs : struct, IActivationCount
    {
        int activationBlock = TBlock.IsAffine ? Block32.Q8_1Bytes : Block32.Q8_0Bytes;
        Vector128<float> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
        for (int b = 0; b < blocks; b++)
        {
            var low = TBlock.Values(ref Unsafe.Add(ref weights, b * TBlock.Bytes), out var high).AsSByte();
            float d = Unsafe.Add(ref weightScales, b);
            ref byte act = ref Unsafe.Add(ref activations, b * activationBlock);
            ref float actScale = ref Unsafe.Add(ref activationScales, b);
            sum0 = Step(low, high.AsSByte(), d * actScale, ref act, sum0);
            if (TActs.Count > 1)
            {
                sum1 = Step(low, high.AsSByte(), d * Unsafe.Add(ref actScale, activationScaleStride), ref Unsafe.Add(ref act, activationBytes), sum1);
            }
            if (TActs.Count > 2)
            {
                sum2 = Step(low, high.AsSByte(), d * Unsafe.Add(ref actScale, 2 * activationScaleStride), ref Unsafe.Add(ref act, 2 * activationBytes), sum2);
            }
            if (TActs.Count > 3)
            {
                sum3 = Step(low, high.AsSByte(), d * Unsafe.Add(ref actScale, 3 * activationScaleStride), ref Unsafe.Add(ref act, 3 * activationBytes), sum3);
            }
        }
        ActivationResults.Store<TActs>(ref destination, destinationStride, Vector128.Sum(sum0), Vector128.Sum(sum1), Vector128.Sum(sum2), Vector128.Sum(sum3));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Step(Vector128<sbyte> low, Vector128<sbyte> high, float scale, ref byte act, Vector128<float> sum)
    {
        nuint codes = (nuint)(TBlock.IsAffine ? 4 : 2);
        var dots = ByteDot128.Sums(low, Vector128.LoadUnsafe(ref act, codes).AsSByte())
            + ByteDot128.Sums(high, Vector128.LoadUnsafe(ref act, codes + 16).AsSByte());
        return Vector128.FusedMultiplyAdd(Vector128.Create(scale), Vector128.ConvertToSingle(dots), sum);
    }
}
