using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using DeepSharp.Compute;

namespace DeepSharp.Quantization.Kernels;

/// <summary>The 512-bit (AVX-512BW) kernel of the 32-element formats.</summary>
/// <remarks>
/// Lanes: two blocks per zmm register, block b in bytes 0..31 and block b + 1 in bytes 32..63, each decoded as in
/// <see cref="Block32Avx{TBlock, TDot}"/>, against the two blocks' activation codes. AVX-512 has no
/// <c>vpsignb</c>, so signed values take their sign the long way: <c>|v|</c> times <c>(a ^ n) − n</c> with
/// <c>n</c> = all ones where <c>v &lt; 0</c>, which is −a there and a elsewhere; the product is <c>v·a</c>
/// exactly. Q4_0 and Q5_0 skip that: their stored codes <c>c = v + o</c> are unsigned, so the kernel takes
/// <c>vpmaddubsw(c, a) − vpmaddubsw(o, a)</c>, whose 16-bit pair sums are exactly those of <c>v·a</c>, and decodes
/// both blocks' packed codes at this width (<see cref="IBlock32{TSelf}.Pair512"/>). On one core with cached weights
/// that took the one-row GEMV from 15.3 to 20.0 GB/s (Q4_0) and from 15.2 to 18.2 GB/s (Q5_0), bit for bit the same.
/// <c>vpmaddubsw</c> + <c>vpmaddwd</c> leave 16 ints: lanes 0..7 total block b's integer sum, lanes 8..15 block
/// b + 1's, and each half is scaled by its own <c>d_w·d_a</c> (one <c>vpermps</c> spreads the two products). An odd last block takes a 256-bit step. As there, only the order of float additions differs from
/// the scalar reference, and it is the same for every number of activation rows.
/// The signed formats' weight scales are read from the blocks here, four at a time, not widened by the driver
/// (<see cref="IBlock32Kernel.ReadsWeightScales"/>). Up to eight activation rows share each decoded weight pair.
/// </remarks>
internal readonly struct Block32Avx512<TBlock> : IBlock32Kernel
    where TBlock : struct, IBlock32<TBlock>
{
    public static bool ReadsWeightScales => !TBlock.IsAffine;

    public static int MaxActivations => 8;

    public static void Dot<TActs>(
        ref byte weights, ref float weightScales, int blocks, ref byte activations, nint activationBytes,
        ref float activationScales, nint activationScaleStride, ref float destination, nint destinationStride)
        where TActs : struct, IActivationCount
    {
        int actBlock = TBlock.IsAffine ? Block32.Q8_1Bytes : Block32.Q8_0Bytes;
        Vector512<float> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
        Vector512<float> sum4 = default, sum5 = default, sum6 = default, sum7 = default;
        int b = 0;
        // Running references rather than offsets multiplied out each quad: the loop is bound by the instructions it
        // issues, scalar ones included (one core, cached, one row of 16,384 values: Q5_0 24.0–24.1 → 25.2–25.3 GB/s,
        // Q8_0 46.3–46.5 → 48.9–49.0).
        ref byte first = ref weights;
        ref byte act = ref activations;
        ref float actScale = ref activationScales;
        for (; b + 4 <= blocks; b += 4, first = ref Unsafe.Add(ref first, 4 * TBlock.Bytes), act = ref Unsafe.Add(ref act, 4 * actBlock), actScale = ref Unsafe.Add(ref actScale, 4))
        {
            StreamPrefetch.Ahead(ref first, 4 * TBlock.Bytes);
            ref byte second = ref Unsafe.Add(ref first, 2 * TBlock.Bytes);
            var d = WeightScales4(ref first, ref weightScales, b);
            var (u0, n0) = Decode(ref first);
            var (u1, n1) = Decode(ref second);
            sum0 = Quad(u0, n0, u1, n1, d, ref actScale, ref act, actBlock, sum0);
            if (TActs.Count > 1)
            {
                sum1 = Quad(u0, n0, u1, n1, d, ref Unsafe.Add(ref actScale, activationScaleStride), ref Unsafe.Add(ref act, activationBytes), actBlock, sum1);
            }
            if (TActs.Count > 2)
            {
                sum2 = Quad(u0, n0, u1, n1, d, ref Unsafe.Add(ref actScale, 2 * activationScaleStride), ref Unsafe.Add(ref act, 2 * activationBytes), actBlock, sum2);
            }
            if (TActs.Count > 3)
            {
                sum3 = Quad(u0, n0, u1, n1, d, ref Unsafe.Add(ref actScale, 3 * activationScaleStride), ref Unsafe.Add(ref act, 3 * activationBytes), actBlock, sum3);
            }
            if (TActs.Count > 4)
            {
                sum4 = Quad(u0, n0, u1, n1, d, ref Unsafe.Add(ref actScale, 4 * activationScaleStride), ref Unsafe.Add(ref act, 4 * activationBytes), actBlock, sum4);
                sum5 = Quad(u0, n0, u1, n1, d, ref Unsafe.Add(ref actScale, 5 * activationScaleStride), ref Unsafe.Add(ref act, 5 * activationBytes), actBlock, sum5);
                sum6 = Quad(u0, n0, u1, n1, d, ref Unsafe.Add(ref actScale, 6 * activationScaleStride), ref Unsafe.Add(ref act, 6 * activationBytes), actBlock, sum6);
                sum7 = Quad(u0, n0, u1, n1, d, ref Unsafe.Add(ref actScale, 7 * activationScaleStride), ref Unsafe.Add(ref act, 7 * activationBytes), actBlock, sum7);
            }
        }
        // The last one to three blocks: a pair, then an odd block in the low half of the registers (the high half's
        // scale zero; its activation load repeats the block's own codes, valid memory whose products vanish).
        for (int pairBlocks = 2; pairBlocks >= 1; pairBlocks--)
        {
            if (b + pairBlocks > blocks)
            {
                continue;
            }
            ref byte block = ref Unsafe.Add(ref weights, b * TBlock.Bytes);
            Vector128<float> d;
            Vector512<byte> v;
            if (pairBlocks == 2)
            {
                d = TBlock.IsAffine ? Pair(ref Unsafe.Add(ref weightScales, b)) : Fp16.ReadPair(ref block, 0, TBlock.Bytes);
                v = Values2(ref block);
            }
            else
            {
                d = Vector128.CreateScalar(TBlock.IsAffine ? Unsafe.Add(ref weightScales, b) : Fp16.Read(ref block, 0));
                var one = Block32Avx<TBlock, Avx2ByteDot>.Values(ref block);
                v = (OffsetCodes ? one + Vector256.Create(TBlock.CodeOffset) : one).ToVector512();
            }
            var (u, n) = Signs(v);
            int upper = pairBlocks == 2 ? actBlock : 0;
            act = ref Unsafe.Add(ref activations, b * actBlock);
            actScale = ref Unsafe.Add(ref activationScales, b);
            sum0 = Step(u, n, Spread(d * Scales(ref actScale, pairBlocks)), ref act, upper, sum0);
            if (TActs.Count > 1)
            {
                sum1 = Step(u, n, Spread(d * Scales(ref Unsafe.Add(ref actScale, activationScaleStride), pairBlocks)), ref Unsafe.Add(ref act, activationBytes), upper, sum1);
            }
            if (TActs.Count > 2)
            {
                sum2 = Step(u, n, Spread(d * Scales(ref Unsafe.Add(ref actScale, 2 * activationScaleStride), pairBlocks)), ref Unsafe.Add(ref act, 2 * activationBytes), upper, sum2);
            }
            if (TActs.Count > 3)
            {
                sum3 = Step(u, n, Spread(d * Scales(ref Unsafe.Add(ref actScale, 3 * activationScaleStride), pairBlocks)), ref Unsafe.Add(ref act, 3 * activationBytes), upper, sum3);
            }
            if (TActs.Count > 4)
            {
                sum4 = Step(u, n, Spread(d * Scales(ref Unsafe.Add(ref actScale, 4 * activationScaleStride), pairBlocks)), ref Unsafe.Add(ref act, 4 * activationBytes), upper, sum4);
                sum5 = Step(u, n, Spread(d * Scales(ref Unsafe.Add(ref actScale, 5 * activationScaleStride), pairBlocks)), ref Unsafe.Add(ref act, 5 * activationBytes), upper, sum5);
                sum6 = Step(u, n, Spread(d * Scales(ref Unsafe.Add(ref actScale, 6 * activationScaleStride), pairBlocks)), ref Unsafe.Add(ref act, 6 * activationBytes), upper, sum6);
                sum7 = Step(u, n, Spread(d * Scales(ref Unsafe.Add(ref actScale, 7 * activationScaleStride), pairBlocks)), ref Unsafe.Add(ref act, 7 * activationBytes), upper, sum7);
            }
            b += pairBlocks;
        }
        ActivationResults.Store<TActs>(ref destination, destinationStride,
            LaneSum.Of(sum0), LaneSum.Of(sum1), LaneSum.Of(sum2), LaneSum.Of(sum3),
            LaneSum.Of(sum4), LaneSum.Of(sum5), LaneSum.Of(sum6), LaneSum.Of(sum7));
    }

    /// <summary>
    /// The <c>d</c> of blocks b..b + 3 in lanes 0..3: widened by the driver for the affine formats, gathered from
    /// the blocks and widened together for the signed ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> WeightScales4(ref byte first, ref float weightScales, int b)
    {
        if (TBlock.IsAffine)
        {
            return Vector128.LoadUnsafe(ref weightScales, (nuint)b);
        }
        return Fp16.ReadFour(ref first, TBlock.Bytes);
    }

    /// <summary>Signed values taken as unsigned codes plus this offset (<see cref="IBlock32{TSelf}.CodeOffset"/>).</summary>
    private static bool OffsetCodes
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => !TBlock.IsAffine && TBlock.CodeOffset != 0;
    }

    /// <summary>Two consecutive blocks' values or codes: block b in bytes 0..31, block b + 1 in bytes 32..63.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<byte> Values2(ref byte first) => TBlock.Pair512(ref first);

    /// <summary>A block pair decoded for <see cref="Step"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<byte> U, Vector512<sbyte> Negative) Decode(ref byte first) => Signs(Values2(ref first));

    /// <summary>
    /// The unsigned factor of <c>vpmaddubsw</c> and the sign mask: the codes themselves for affine formats and offset
    /// codes, <c>|v|</c> and <c>v &lt; 0</c> for the other signed ones.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static (Vector512<byte> U, Vector512<sbyte> Negative) Signs(Vector512<byte> v) => TBlock.IsAffine || OffsetCodes
        ? (v, default)
        : (Avx512BW.Abs(v.AsSByte()), Vector512.LessThan(v.AsSByte(), Vector512<sbyte>.Zero));

    /// <summary>
    /// Four blocks against one activation row: two <see cref="Step"/>s, the first with lanes 0 and 1 of
    /// <c>d·d_a</c>, the second with lanes 2 and 3.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Quad(
        Vector512<byte> u0, Vector512<sbyte> n0, Vector512<byte> u1, Vector512<sbyte> n1, Vector128<float> d,
        ref float actScale, ref byte act, int actBlock, Vector512<float> sum)
    {
        var scales = (d * Vector128.LoadUnsafe(ref actScale)).ToVector256Unsafe().ToVector512Unsafe();
        sum = Step(u0, n0, Vector512.Shuffle(scales, Vector512.Create(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1)), ref act, actBlock, sum);
        return Step(u1, n1, Vector512.Shuffle(scales, Vector512.Create(2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3)), ref Unsafe.Add(ref act, 2 * actBlock), actBlock, sum);
    }

    /// <summary>Lanes 0 and 1 of <paramref name="scales"/> spread over lanes 0..7 and 8..15.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Spread(Vector128<float> scales) =>
        Vector512.Shuffle(scales.ToVector256Unsafe().ToVector512Unsafe(), Vector512.Create(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1));

    /// <summary>The activation scales of a pair (lanes 0 and 1) or of one block (lane 0, lane 1 zero).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Scales(ref float actScale, int count) =>
        count == 2 ? Pair(ref actScale) : Vector128.CreateScalar(actScale);

    /// <summary>Two consecutive scales in lanes 0 and 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Pair(ref float scales) =>
        Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>(ref scales))).AsSingle();

    /// <summary>
    /// Adds two blocks' <c>d_w·d_a·Σ v·a</c> to <paramref name="sum"/>; <paramref name="spread"/> holds block b's
    /// <c>d_w·d_a</c> in lanes 0..7 and block b + 1's in lanes 8..15. The upper activation block lies
    /// <paramref name="activationBlock"/> bytes after the lower one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Step(Vector512<byte> u, Vector512<sbyte> negative, Vector512<float> spread, ref byte act, int activationBlock, Vector512<float> sum)
    {
        nuint codes = (nuint)(TBlock.IsAffine ? 4 : 2);
        Vector256<byte> lower = Vector256.LoadUnsafe(ref act, codes);
        Vector256<byte> upper = Vector256.LoadUnsafe(ref Unsafe.Add(ref act, activationBlock), codes);
        var a = lower.ToVector512Unsafe().WithUpper(upper).AsSByte();
        Vector512<short> pairs;
        if (OffsetCodes)
        {
            // (c − o)·a summed in pairs: both products stay far inside 16 bits, so the pairs are exactly those of v·a.
            pairs = Avx512BW.MultiplyAddAdjacent(u, a) - Avx512BW.MultiplyAddAdjacent(Vector512.Create(TBlock.CodeOffset), a);
        }
        else
        {
            if (!TBlock.IsAffine)
            {
                a = (a ^ negative) - negative;
            }
            pairs = Avx512BW.MultiplyAddAdjacent(u, a);
        }
        var dots = Avx512BW.MultiplyAddAdjacent(pairs, Vector512.Create((short)1));
        return Vector512.FusedMultiplyAdd(spread, Vector512.ConvertToSingle(dots), sum);
    }
}
