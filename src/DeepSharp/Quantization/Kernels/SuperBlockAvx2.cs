using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeepSharp.Quantization.Kernels;

/// <summary>The 256-bit (AVX2) kernel of the 256-element formats; the AVX-VNNI path runs it too.</summary>
/// <remarks>
/// <para>
/// Lanes: a ymm register holds one 32-element chunk c, byte j = element 32c + j, against the 32 activation codes
/// of the chunk. <c>vpmaddubsw</c> leaves 16 shorts: shorts 0..7 are pair sums of group 2c, shorts 8..15 of group
/// 2c + 1 (at most 2·63·127, or 2·128·127 for signed values through the sign trick: no saturation).
/// <c>vpmaddwd</c> against <see cref="SuperBlock.ChunkScales"/> multiplies each pair sum by its group's scale and
/// adds neighbours into 8 ints. Over the block the 8 lanes total <c>Σ_g scale_g·Σ q·a</c>; one more
/// <c>vpmaddwd</c> of the activation's group sums against <see cref="SuperBlock.SumWeights"/> gives the minimum or
/// offset term.
/// </para>
/// <para>
/// At the end of every block both fold to exact integer halves that enter the row's float lane accumulator
/// (<see cref="SuperBlock.Accumulate{TBlock}"/>), reduced once per row: the result is the scalar reference's up
/// to float rounding, and the same bits for a row alone or in a tile of four. <c>vpdpbusd</c> (AVX-VNNI) would replace
/// <c>vpmaddubsw</c> but not the per-group scale multiply after it, so it would save nothing here.
/// </para>
/// </remarks>
internal readonly struct SuperBlockAvx2<TBlock> : IRowKernel
    where TBlock : struct, ISuperBlock<TBlock>
{
    public static void Dot<TActs>(ref byte weights, int blocks, ref byte activations, nint activationBytes, ref float destination, nint destinationStride)
        where TActs : struct, IActivationCount
    {
        Vector128<float> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
        Vector256<float> sum01 = default, sum23 = default; // four activation rows, four lanes each
        for (int b = 0; b < blocks; b++)
        {
            ref byte block = ref Unsafe.Add(ref weights, b * TBlock.Bytes);
            StreamPrefetch.Ahead(ref block, TBlock.Bytes);
            ref byte act0 = ref Unsafe.Add(ref activations, b * SuperBlock.ActivationBytes);
            ref byte act1 = ref Unsafe.Add(ref act0, activationBytes);
            ref byte act2 = ref Unsafe.Add(ref act0, 2 * activationBytes);
            ref byte act3 = ref Unsafe.Add(ref act0, 3 * activationBytes);
            var scales = TBlock.GroupScales(ref block, out var mins);
            Vector256<int> code0 = default, code1 = default, code2 = default, code3 = default;
            // The four pairs written out, as in SuperBlockAvx512: the JIT does not unroll the loop, and constant pairs
            // fold the chunk offsets into addresses.
            Pair<TActs>(ref block, 0, scales, ref act0, activationBytes, ref code0, ref code1, ref code2, ref code3);
            Pair<TActs>(ref block, 1, scales, ref act0, activationBytes, ref code0, ref code1, ref code2, ref code3);
            Pair<TActs>(ref block, 2, scales, ref act0, activationBytes, ref code0, ref code1, ref code2, ref code3);
            Pair<TActs>(ref block, 3, scales, ref act0, activationBytes, ref code0, ref code1, ref code2, ref code3);
            var sumWeights = SuperBlock.SumWeights<TBlock>(scales, mins);
            var d = TBlock.FloatScales(ref block);
            if (TActs.Count == 4)
            {
                var da = Vector128.Create(
                    Unsafe.ReadUnaligned<float>(ref act0), Unsafe.ReadUnaligned<float>(ref act1),
                    Unsafe.ReadUnaligned<float>(ref act2), Unsafe.ReadUnaligned<float>(ref act3));
                SuperBlock.Accumulate4<TBlock>(ref sum01, ref sum23, code0, code1, code2, code3,
                    SuperBlock.Weighted<TBlock>(sumWeights, ref act0), SuperBlock.Weighted<TBlock>(sumWeights, ref act1), SuperBlock.Weighted<TBlock>(sumWeights, ref act2), SuperBlock.Weighted<TBlock>(sumWeights, ref act3),
                    d, da);
                continue;
            }
            sum0 = SuperBlock.Accumulate<TBlock>(sum0, code0, SuperBlock.Weighted<TBlock>(sumWeights, ref act0), d, ref act0);
            if (TActs.Count > 1)
            {
                sum1 = SuperBlock.Accumulate<TBlock>(sum1, code1, SuperBlock.Weighted<TBlock>(sumWeights, ref act1), d, ref act1);
            }
            if (TActs.Count > 2)
            {
                sum2 = SuperBlock.Accumulate<TBlock>(sum2, code2, SuperBlock.Weighted<TBlock>(sumWeights, ref act2), d, ref act2);
            }
        }
        if (TActs.Count == 4)
        {
            (sum0, sum1, sum2, sum3) = (sum01.GetLower(), sum01.GetUpper(), sum23.GetLower(), sum23.GetUpper());
        }
        ActivationResults.Store<TActs>(ref destination, destinationStride,
            SuperBlock.Total(sum0), SuperBlock.Total(sum1), SuperBlock.Total(sum2), SuperBlock.Total(sum3));
    }

    /// <summary>Chunks 2p and 2p + 1 of the block: each row's scaled products added to its code lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Pair<TActs>(ref byte block, int p, Vector128<sbyte> scales, ref byte act0, nint activationBytes,
        ref Vector256<int> code0, ref Vector256<int> code1, ref Vector256<int> code2, ref Vector256<int> code3)
        where TActs : struct, IActivationCount
    {
        var even = TBlock.Codes256(ref block, p, out var odd);
        var evenScales = SuperBlock.ChunkScales(scales, 2 * p);
        var oddScales = SuperBlock.ChunkScales(scales, 2 * p + 1);
        var evenMagnitudes = Magnitudes(even);
        var oddMagnitudes = Magnitudes(odd);
        nuint offset = (nuint)(SuperBlock.Codes + 64 * p);
        code0 += Products(evenMagnitudes, even, evenScales, ref act0, offset) + Products(oddMagnitudes, odd, oddScales, ref act0, offset + 32);
        if (TActs.Count > 1)
        {
            ref byte act1 = ref Unsafe.Add(ref act0, activationBytes);
            code1 += Products(evenMagnitudes, even, evenScales, ref act1, offset) + Products(oddMagnitudes, odd, oddScales, ref act1, offset + 32);
        }
        if (TActs.Count > 2)
        {
            ref byte act2 = ref Unsafe.Add(ref act0, 2 * activationBytes);
            code2 += Products(evenMagnitudes, even, evenScales, ref act2, offset) + Products(oddMagnitudes, odd, oddScales, ref act2, offset + 32);
        }
        if (TActs.Count > 3)
        {
            ref byte act3 = ref Unsafe.Add(ref act0, 3 * activationBytes);
            code3 += Products(evenMagnitudes, even, evenScales, ref act3, offset) + Products(oddMagnitudes, odd, oddScales, ref act3, offset + 32);
        }
    }

    /// <summary>The unsigned bytes that enter <c>vpmaddubsw</c>: the codes, or <c>|v|</c> for signed values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<byte> Magnitudes(Vector256<byte> codes) =>
        TBlock.Kind == SuperBlockKind.Signed ? Avx2.Abs(codes.AsSByte()) : codes;

    /// <summary>
    /// One chunk's <c>scale_g·Σ v·a</c> for its two groups, in 8 int lanes (lanes 0..3 group 2c, 4..7 group
    /// 2c + 1); signed values give their sign to the activation codes.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Products(Vector256<byte> magnitudes, Vector256<byte> codes, Vector256<short> scales, ref byte act, nuint offset)
    {
        var a = Vector256.LoadUnsafe(ref act, offset).AsSByte();
        if (TBlock.Kind == SuperBlockKind.Signed)
        {
            a = Avx2.Sign(a, codes.AsSByte());
        }
        return Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(magnitudes, a), scales);
    }
}
