using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DeepSharp.Compute;

namespace DeepSharp.Quantization.Kernels;

/// <summary>The 512-bit (AVX-512BW) kernel of the 256-element formats.</summary>
/// <remarks>
/// Lanes: a zmm register holds 64 elements, chunks 2p and 2p + 1 (<see cref="ISuperBlock{TSelf}.Codes512"/>), so the
/// 32 shorts of <c>vpmaddubsw</c> are pair sums of groups 4p..4p+3, eight shorts each, scaled by
/// <see cref="SuperBlock.QuarterScales"/>. Signed values take their sign as in <see cref="Block32Avx512{TBlock}"/>
/// (<c>(a ^ n) − n</c>, n = all ones where v &lt; 0).
/// <para>
/// Each activation row keeps one float accumulator of 16 lanes: the block's 8 folded code lanes times
/// <c>d·da</c>, and its 8 minimum (or offset) lanes times <c>−dmin·da</c>, added by one FMA; the lanes are summed
/// once, when the row ends. Reducing every block to a float in the reference's order instead cost about a fifth
/// of the kernel's time. The result is the scalar reference's up to float rounding, and a row gives the same bits
/// alone or in a tile of four, since each row's lanes see the same operations either way.
/// </para>
/// </remarks>
internal readonly struct SuperBlockAvx512<TBlock> : IRowKernel
    where TBlock : struct, ISuperBlock<TBlock>
{
    /// <summary>Eight rows: 8 code and 8 float accumulators, the weight decode, scales and activation pointers fit the 32 zmm registers.</summary>
    public static int MaxActivations => 8;

    public static void Dot<TActs>(ref byte weights, int blocks, ref byte activations, nint activationBytes, ref float destination, nint destinationStride)
        where TActs : struct, IActivationCount
    {
        Vector512<float> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
        Vector512<float> sum4 = default, sum5 = default, sum6 = default, sum7 = default;
        Vector512<float> fourScales = default; // affine formats: d, −dmin of four blocks (ScalesOfFour)
        Vector512<int> pick = default; // which pair of fourScales this block spreads over lanes 0..7 and 8..15
        for (int b = 0; b < blocks; b++)
        {
            ref byte block = ref Unsafe.Add(ref weights, b * TBlock.Bytes);
            StreamPrefetch.Ahead(ref block, TBlock.Bytes);
            if (TBlock.Kind == SuperBlockKind.Affine)
            {
                if ((b & 3) == 0)
                {
                    fourScales = ScalesOfFour(ref block, blocks - b);
                    pick = Vector512.Create(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
                }
                else
                {
                    pick += Vector512.Create(2);
                }
            }
            ref byte act0 = ref Unsafe.Add(ref activations, b * SuperBlock.ActivationBytes);
            ref byte act1 = ref Unsafe.Add(ref act0, activationBytes);
            ref byte act2 = ref Unsafe.Add(ref act0, 2 * activationBytes);
            ref byte act3 = ref Unsafe.Add(ref act0, 3 * activationBytes);
            ref byte act4 = ref Unsafe.Add(ref act0, 4 * activationBytes);
            ref byte act5 = ref Unsafe.Add(ref act0, 5 * activationBytes);
            ref byte act6 = ref Unsafe.Add(ref act0, 6 * activationBytes);
            ref byte act7 = ref Unsafe.Add(ref act0, 7 * activationBytes);
            var scales = TBlock.GroupScales(ref block, out var mins);
            var wideScales = SuperBlock.WideScales(scales);
            Vector512<int> code0 = default, code1 = default, code2 = default, code3 = default;
            Vector512<int> code4 = default, code5 = default, code6 = default, code7 = default;
            // Four quarters written out: as a loop the JIT keeps (about eight scalar offset operations per quarter,
            // and variable shifts in some formats' decode); with constant quarters the offsets fold into addresses.
            Quarter<TActs>(ref block, 0, wideScales, ref act0, activationBytes, ref code0, ref code1, ref code2, ref code3, ref code4, ref code5, ref code6, ref code7);
            Quarter<TActs>(ref block, 1, wideScales, ref act0, activationBytes, ref code0, ref code1, ref code2, ref code3, ref code4, ref code5, ref code6, ref code7);
            Quarter<TActs>(ref block, 2, wideScales, ref act0, activationBytes, ref code0, ref code1, ref code2, ref code3, ref code4, ref code5, ref code6, ref code7);
            Quarter<TActs>(ref block, 3, wideScales, ref act0, activationBytes, ref code0, ref code1, ref code2, ref code3, ref code4, ref code5, ref code6, ref code7);
            var sumWeights = SuperBlock.SumWeights<TBlock>(scales, mins);
            var factors = TBlock.Kind == SuperBlockKind.Affine
                ? Avx512F.PermuteVar16x32(fourScales, pick)
                : Vector512.Create(TBlock.FloatScales(ref block).ToScalar()).WithUpper(Vector256<float>.Zero);
            sum0 = Accumulate(sum0, code0, sumWeights, factors, ref act0);
            if (TActs.Count > 1)
            {
                sum1 = Accumulate(sum1, code1, sumWeights, factors, ref act1);
            }
            if (TActs.Count > 2)
            {
                sum2 = Accumulate(sum2, code2, sumWeights, factors, ref act2);
            }
            if (TActs.Count > 3)
            {
                sum3 = Accumulate(sum3, code3, sumWeights, factors, ref act3);
            }
            if (TActs.Count > 4)
            {
                sum4 = Accumulate(sum4, code4, sumWeights, factors, ref act4);
                sum5 = Accumulate(sum5, code5, sumWeights, factors, ref act5);
                sum6 = Accumulate(sum6, code6, sumWeights, factors, ref act6);
                sum7 = Accumulate(sum7, code7, sumWeights, factors, ref act7);
            }
        }
        ActivationResults.Store<TActs>(ref destination, destinationStride,
            LaneSum.Of(sum0), LaneSum.Of(sum1), LaneSum.Of(sum2), LaneSum.Of(sum3),
            LaneSum.Of(sum4), LaneSum.Of(sum5), LaneSum.Of(sum6), LaneSum.Of(sum7));
    }

    /// <summary>Elements <c>64p .. 64p + 63</c> of the block: each row's scaled products added to its code lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quarter<TActs>(ref byte block, int p, Vector512<short> wideScales, ref byte act0, nint activationBytes,
        ref Vector512<int> code0, ref Vector512<int> code1, ref Vector512<int> code2, ref Vector512<int> code3,
        ref Vector512<int> code4, ref Vector512<int> code5, ref Vector512<int> code6, ref Vector512<int> code7)
        where TActs : struct, IActivationCount
    {
        var codes = TBlock.Codes512(ref block, p);
        var chunkScales = SuperBlock.QuarterScales(wideScales, p);
        var magnitudes = TBlock.Kind == SuperBlockKind.Signed ? Avx512BW.Abs(codes.AsSByte()) : codes;
        var negative = TBlock.Kind == SuperBlockKind.Signed ? Vector512.LessThan(codes.AsSByte(), Vector512<sbyte>.Zero) : default;
        nuint offset = (nuint)(SuperBlock.Codes + 64 * p);
        code0 += Products(magnitudes, negative, chunkScales, ref act0, offset);
        if (TActs.Count > 1)
        {
            code1 += Products(magnitudes, negative, chunkScales, ref Unsafe.Add(ref act0, activationBytes), offset);
        }
        if (TActs.Count > 2)
        {
            code2 += Products(magnitudes, negative, chunkScales, ref Unsafe.Add(ref act0, 2 * activationBytes), offset);
        }
        if (TActs.Count > 3)
        {
            code3 += Products(magnitudes, negative, chunkScales, ref Unsafe.Add(ref act0, 3 * activationBytes), offset);
        }
        if (TActs.Count > 4)
        {
            code4 += Products(magnitudes, negative, chunkScales, ref Unsafe.Add(ref act0, 4 * activationBytes), offset);
            code5 += Products(magnitudes, negative, chunkScales, ref Unsafe.Add(ref act0, 5 * activationBytes), offset);
            code6 += Products(magnitudes, negative, chunkScales, ref Unsafe.Add(ref act0, 6 * activationBytes), offset);
            code7 += Products(magnitudes, negative, chunkScales, ref Unsafe.Add(ref act0, 7 * activationBytes), offset);
        }
    }

    /// <summary>
    /// The float scales of the next four blocks of an affine format (fewer at the row's end), widened together: lanes
    /// 2k and 2k + 1 hold block k's <c>d</c> and <c>−dmin</c>. Widening each block's pair on its own made this kernel
    /// 8 % (one row) and 12 % (eight rows) slower on Q4_K, before Q4_K had a kernel of its own (<see cref="Q4KAvx512"/>,
    /// which widens per block); Q2_K and Q5_K run it now. The values are the same. Formats with only <c>d</c> widen it
    /// per block as before: their single scalar conversion is cheaper than the shared vector one (Q6_K one row: 30.0
    /// against 26.5 GB/s).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> ScalesOfFour(ref byte first, int left)
    {
        uint s0 = TBlock.ScaleHalves(ref first);
        uint s1 = left > 1 ? TBlock.ScaleHalves(ref Unsafe.Add(ref first, TBlock.Bytes)) : 0;
        uint s2 = left > 2 ? TBlock.ScaleHalves(ref Unsafe.Add(ref first, 2 * TBlock.Bytes)) : 0;
        uint s3 = left > 3 ? TBlock.ScaleHalves(ref Unsafe.Add(ref first, 3 * TBlock.Bytes)) : 0;
        var halves = Vector256.WidenLower(Vector128.Create(s0, s1, s2, s3).AsUInt16().ToVector256Unsafe());
        return (Fp16.ToSingle(halves) * Vector256.Create(1f, -1f, 1f, -1f, 1f, -1f, 1f, -1f)).ToVector512Unsafe();
    }

    /// <summary>
    /// Adds one block to a row's accumulator: lanes 0..7 the code lanes folded from 16 (exact integer adds), lanes
    /// 8..15 the minimum terms (affine) or nothing, the offset term being taken from the code lanes first.
    /// <paramref name="factors"/> holds <c>d</c> in lanes 0..7 and <c>−dmin</c> (or 0) in lanes 8..15.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector512<float> Accumulate(Vector512<float> sum, Vector512<int> code, Vector256<short> sumWeights, Vector512<float> factors, ref byte act)
    {
        var folded = code.GetLower() + code.GetUpper();
        var w = SuperBlock.Weighted<TBlock>(sumWeights, ref act);
        var lanes = TBlock.Kind == SuperBlockKind.Offset ? (folded - w).ToVector512Unsafe().WithUpper(default) : folded.ToVector512Unsafe().WithUpper(w);
        return Vector512.FusedMultiplyAdd(Vector512.ConvertToSingle(lanes), factors * Vector512.Create(Unsafe.ReadUnaligned<float>(ref act)), sum);
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
