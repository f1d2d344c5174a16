using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace DeepSharp.Quantization.Kernels;

/// <summary>The portable 128-bit kernel of the 256-element formats (SSE without AVX2, NEON).</summary>
/// <remarks>
/// Lanes: one 16-byte register per 16-element group, byte j = element 16g + j. <see cref="ByteDot128.Sums"/>
/// multiplies the codes (or signed values) with the activation codes exactly in four int lanes, which are scaled
/// by the group's scale and accumulated; the group sums of the activation widen to ints for the minimum or offset
/// term. Per-block integer sums and the reference's float expression make the result equal the scalar reference
/// bit for bit, as in <see cref="SuperBlockAvx2{TBlock}"/>.
/// </remarks>
internal readonly struct SuperBlockVector128<TBlock> : IRowKernel
    where TBlock : struct, ISuperBlock<TBlock>
{
    public static void Dot<TActs>(ref byte weights, int blocks, ref byte activations, nint activationBytes, ref float destination, nint destinationStride)
        where TActs : struct, IActivationCount
    {
        float sum0 = 0, sum1 = 0, sum2 = 0, sum3 = 0;
        for (int b = 0; b < blocks; b++)
        {
            ref byte block = ref Unsafe.Add(ref weights, b * TBlock.Bytes);
            ref byte act0 = ref Unsafe.Add(ref activations, b * SuperBlock.ActivationBytes);
            ref byte act1 = ref Unsafe.Add(ref act0, activationBytes);
            ref byte act2 = ref Unsafe.Add(ref act0, 2 * activationBytes);
            ref byte act3 = ref Unsafe.Add(ref act0, 3 * activationBytes);
            var scales = TBlock.GroupScales(ref block, out var mins);
            Vector128<int> code0 = default, code1 = default, code2 = default, code3 = default;
            for (int c = 0; c < 8; c++)
            {
                var low = TBlock.Codes128(ref block, c, out var high).AsSByte();
                var lowScale = Vector128.Create((int)scales.GetElement(2 * c));
                var highScale = Vector128.Create((int)scales.GetElement(2 * c + 1));
                nuint offset = (nuint)(SuperBlock.Codes + 32 * c);
                code0 += Chunk(low, high.AsSByte(), lowScale, highScale, ref act0, offset);
                if (TActs.Count > 1)
                {
                    code1 += Chunk(low, high.AsSByte(), lowScale, highScale, ref act1, offset);
                }
                if (TActs.Count > 2)
                {
                    code2 += Chunk(low, high.AsSByte(), lowScale, highScale, ref act2, offset);
                }
                if (TActs.Count > 3)
                {
                    code3 += Chunk(low, high.AsSByte(), lowScale, highScale, ref act3, offset);
                }
            }
            var (weightsLow, weightsHigh) = SumWeights(scales, mins);
            var d = TBlock.FloatScales(ref block);
            sum0 += Finish(code0, weightsLow, weightsHigh, d, ref act0);
            if (TActs.Count > 1)
            {
                sum1 += Finish(code1, weightsLow, weightsHigh, d, ref act1);
            }
            if (TActs.Count > 2)
            {
                sum2 += Finish(code2, weightsLow, weightsHigh, d, ref act2);
            }
            if (TActs.Count > 3)
            {
                sum3 += Finish(code3, weightsLow, weightsHigh, d, ref act3);
            }
        }
        ActivationResults.Store<TActs>(ref destination, destinationStride, sum0, sum1, sum2, sum3);
    }

    /// <summary>One chunk (two groups): <c>scale_2c·Σ v·a + scale_2c+1·Σ v·a</c> in four int lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Chunk(Vector128<sbyte> low, Vector128<sbyte> high, Vector128<int> lowScale, Vector128<int> highScale, ref byte act, nuint offset) =>
        ByteDot128.Sums(low, Vector128.LoadUnsafe(ref act, offset).AsSByte()) * lowScale
        + ByteDot128.Sums(high, Vector128.LoadUnsafe(ref act, offset + 16).AsSByte()) * highScale;

    /// <summary>What multiplies each activation group sum (see <see cref="SuperBlock.SumWeights"/>), as ints for groups 0..7 and 8..15.</summary>
    private static (Vector128<short> Low, Vector128<short> High) SumWeights(Vector128<sbyte> scales, Vector128<byte> mins)
    {
        switch (TBlock.Kind)
        {
            case SuperBlockKind.Affine:
                var (minLow, minHigh) = Vector128.Widen(mins);
                return (minLow.AsInt16(), minHigh.AsInt16());
            case SuperBlockKind.Offset:
                var (scaleLow, scaleHigh) = Vector128.Widen(scales);
                return (scaleLow << TBlock.OffsetShift, scaleHigh << TBlock.OffsetShift);
            default:
                return default;
        }
    }

    /// <summary>The block's float contribution; the group-sum products widen to ints first (they exceed a short).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(Vector128<int> code, Vector128<short> weightsLow, Vector128<short> weightsHigh, Vector128<float> scales, ref byte act)
    {
        int weighted = 0;
        if (TBlock.Kind != SuperBlockKind.Signed)
        {
            var (w0, w1) = Vector128.Widen(weightsLow);
            var (w2, w3) = Vector128.Widen(weightsHigh);
            var (s0, s1) = Vector128.Widen(Vector128.LoadUnsafe(ref act, SuperBlock.Sums).AsInt16());
            var (s2, s3) = Vector128.Widen(Vector128.LoadUnsafe(ref act, SuperBlock.Sums + 16).AsInt16());
            weighted = Vector128.Sum((w0 * s0 + w1 * s1) + (w2 * s2 + w3 * s3));
        }
        return SuperBlock.Finish<TBlock>(Vector128.Sum(code), weighted, scales, ref act);
    }
}
