using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeepSharp.Quantization.Kernels;

/// <summary>The 512-bit (AVX-512BW) kernel of the 256-element formats.</summary>
/// <remarks>
/// Lanes: a zmm register holds 64 elements, chunks 2p and 2p + 1 (<see cref="ISuperBlock{TSelf}.Codes512"/>), so the
/// 32 shorts of <c>vpmaddubsw</c> are pair sums of groups 4p..4p+3, eight shorts each, scaled by
/// <see cref="SuperBlock.QuarterScales"/>. Signed values take their sign as in <see cref="Block32Avx512{TBlock}"/>
/// (<c>(a ^ n) − n</c>, n = all ones where v &lt; 0). The block then finishes exactly as in
/// <see cref="SuperBlockAvx2{TBlock}"/>: per-block integer sums, the reference's float expression, blocks added in
/// order, so the result equals the scalar reference bit for bit.
/// </remarks>
internal readonly struct SuperBlockAvx512<TBlock> : IRowKernel
    where TBlock : struct, ISuperBlock<TBlock>
{
    public static void Dot<TActs>(ref byte weights, int blocks, ref byte activations, nint activationBytes, ref float destination, nint destinationStride)
        where TActs : struct, IActivationCount
    {
        float sum0 = 0, sum1 = 0, sum2 = 0, sum3 = 0;
        var sums = Vector128<float>.Zero; // four activation rows: lane t is row t's running sum
        for (int b = 0; b < blocks; b++)
        {
            ref byte block = ref Unsafe.Add(ref weights, b * TBlock.Bytes);
            ref byte act0 = ref Unsafe.Add(ref activations, b * SuperBlock.ActivationBytes);
            ref byte act1 = ref Unsafe.Add(ref act0, activationBytes);
            ref byte act2 = ref Unsafe.Add(ref act0, 2 * activationBytes);
            ref byte act3 = ref Unsafe.Add(ref act0, 3 * activationBytes);
            var scales = TBlock.GroupScales(ref block, out var mins);
            var scalesTwice = scales.ToVector256Unsafe().WithUpper(scales);
            Vector512<int> code0 = default, code1 = default, code2 = default, code3 = default;
            for (int p = 0; p < 4; p++)
            {
                var codes = TBlock.Codes512(ref block, p);
                var chunkScales = SuperBlock.QuarterScales(scalesTwice, p);
                var magnitudes = TBlock.Kind == SuperBlockKind.Signed ? Avx512BW.Abs(codes.AsSByte()) : codes;
                var negative = TBlock.Kind == SuperBlockKind.Signed ? Vector512.LessThan(codes.AsSByte(), Vector512<sbyte>.Zero) : default;
                nuint offset = (nuint)(SuperBlock.Codes + 64 * p);
                code0 += Products(magnitudes, negative, chunkScales, ref act0, offset);
                if (TActs.Count > 1)
                {
                    code1 += Products(magnitudes, negative, chunkScales, ref act1, offset);
                }
                if (TActs.Count > 2)
                {
                    code2 += Products(magnitudes, negative, chunkScales, ref act2, offset);
                }
                if (TActs.Count > 3)
                {
                    code3 += Products(magnitudes, negative, chunkScales, ref act3, offset);
                }
            }
            var sumWeights = SuperBlock.SumWeights<TBlock>(scales, mins);
            var d = TBlock.FloatScales(ref block);
            if (TActs.Count == 4)
            {
                var da = Vector128.Create(
                    Unsafe.ReadUnaligned<float>(ref act0), Unsafe.ReadUnaligned<float>(ref act1),
                    Unsafe.ReadUnaligned<float>(ref act2), Unsafe.ReadUnaligned<float>(ref act3));
                sums += SuperBlock.Finish4<TBlock>(
                    code0.GetLower() + code0.GetUpper(), code1.GetLower() + code1.GetUpper(),
                    code2.GetLower() + code2.GetUpper(), code3.GetLower() + code3.GetUpper(),
                    Weighted(sumWeights, ref act0), Weighted(sumWeights, ref act1), Weighted(sumWeights, ref act2), Weighted(sumWeights, ref act3),
                    d, da);
                continue;
            }
            sum0 += Finish(code0, sumWeights, d, ref act0);
            if (TActs.Count > 1)
            {
                sum1 += Finish(code1, sumWeights, d, ref act1);
            }
            if (TActs.Count > 2)
            {
                sum2 += Finish(code2, sumWeights, d, ref act2);
            }
            if (TActs.Count > 3)
            {
                sum3 += Finish(code3, sumWeights, d, ref act3);
            }
        }
        if (TActs.Count == 4)
        {
            (sum0, sum1, sum2, sum3) = (sums.GetElement(0), sums.GetElement(1), sums.GetElement(2), sums.GetElement(3));
        }
        ActivationResults.Store<TActs>(ref destination, destinationStride, sum0, sum1, sum2, sum3);
    }

    /// <summary>The group sums of <paramref name="act"/> times <paramref name="sumWeights"/>, as 8 ints (nothing for the signed kind).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Weighted(Vector256<short> sumWeights, ref byte act) => TBlock.Kind == SuperBlockKind.Signed
        ? default
        : Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref act, SuperBlock.Sums).AsInt16(), sumWeights);

    /// <summary>The block's float contribution: the 16 code lanes folded to 8, then as in the 256-bit kernel.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(Vector512<int> code, Vector256<short> sumWeights, Vector128<float> scales, ref byte act)
    {
        var weighted = TBlock.Kind == SuperBlockKind.Signed
            ? default
            : Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref act, SuperBlock.Sums).AsInt16(), sumWeights);
        return SuperBlock.Finish<TBlock>(code.GetLower() + code.GetUpper(), weighted, scales, ref act);
    }

    /// <summary>
    /// 64 elements' <c>scale_g·Σ v·a</c> in 16 int lanes: <paramref name="magnitudes"/> are the codes or
    /// <c>|v|</c>, <paramref name="negative"/> is all ones where a signed value is negative.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Products(Vector512<byte> magnitudes, Vector512<sbyte> negative, Vector512<short> scales, ref byte act, nuint offset)
    {
        var a = Vector512.LoadUnsafe(ref act, offset).AsSByte();
        if (TBlock.Kind == SuperBlockKind.Signed)
        {
            a = (a ^ negative) - negative;
        }
        return Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(magnitudes, a), scales);
    }
}
