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
/// exactly. <c>vpmaddubsw</c> + <c>vpmaddwd</c> leave 16 ints: lanes 0..7 total block b's integer sum, lanes
/// 8..15 block b + 1's, and each half is scaled by its own <c>d_w·d_a</c> (one <c>vpermps</c> spreads the two
/// products). An odd last block takes a 256-bit step. As there, only the order of float additions differs from
/// the scalar reference.
/// </remarks>
internal readonly struct Block32Avx512<TBlock> : IBlock32Kernel
    where TBlock : struct, IBlock32<TBlock>
{
    public static void Dot<TActs>(
        ref byte weights, ref float weightScales, int blocks, ref byte activations, nint activationBytes,
        ref float activationScales, nint activationScaleStride, ref float destination, nint destinationStride)
        where TActs : struct, IActivationCount
    {
        int activationBlock = TBlock.IsAffine ? Block32.Q8_1Bytes : Block32.Q8_0Bytes;
        Vector512<float> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
        int b = 0;
        for (; b + 2 <= blocks; b += 2)
        {
            ref byte first = ref Unsafe.Add(ref weights, b * TBlock.Bytes);
            var v = Block32Avx<TBlock, Avx2ByteDot>.Values(ref first).ToVector512Unsafe()
                .WithUpper(Block32Avx<TBlock, Avx2ByteDot>.Values(ref Unsafe.Add(ref first, TBlock.Bytes)));
            var u = TBlock.IsAffine ? v : Avx512BW.Abs(v.AsSByte());
            var negative = TBlock.IsAffine ? default : Vector512.LessThan(v.AsSByte(), Vector512<sbyte>.Zero);
            var d = Pair(ref Unsafe.Add(ref weightScales, b));
            ref byte act = ref Unsafe.Add(ref activations, b * activationBlock);
            ref float actScale = ref Unsafe.Add(ref activationScales, b);
            sum0 = Step(u, negative, d * Pair(ref actScale), ref act, activationBlock, sum0);
            if (TActs.Count > 1)
            {
                sum1 = Step(u, negative, d * Pair(ref Unsafe.Add(ref actScale, activationScaleStride)), ref Unsafe.Add(ref act, activationBytes), activationBlock, sum1);
            }
            if (TActs.Count > 2)
            {
                sum2 = Step(u, negative, d * Pair(ref Unsafe.Add(ref actScale, 2 * activationScaleStride)), ref Unsafe.Add(ref act, 2 * activationBytes), activationBlock, sum2);
            }
            if (TActs.Count > 3)
            {
                sum3 = Step(u, negative, d * Pair(ref Unsafe.Add(ref actScale, 3 * activationScaleStride)), ref Unsafe.Add(ref act, 3 * activationBytes), activationBlock, sum3);
            }
        }
        if (b < blocks)
        {
            // The odd last block: the same sums in the low half of a zmm register, the high half all zero.
            var v = Block32Avx<TBlock, Avx2ByteDot>.Values(ref Unsafe.Add(ref weights, b * TBlock.Bytes)).ToVector512();
            var u = TBlock.IsAffine ? v : Avx512BW.Abs(v.AsSByte());
            var negative = TBlock.IsAffine ? default : Vector512.LessThan(v.AsSByte(), Vector512<sbyte>.Zero);
            var d = Vector128.CreateScalar(Unsafe.Add(ref weightScales, b));
            ref byte act = ref Unsafe.Add(ref activations, b * activationBlock);
            ref float actScale = ref Unsafe.Add(ref activationScales, b);
            sum0 = Step(u, negative, d * Vector128.CreateScalar(actScale), ref act, 0, sum0);
            if (TActs.Count > 1)
            {
                sum1 = Step(u, negative, d * Vector128.CreateScalar(Unsafe.Add(ref actScale, activationScaleStride)), ref Unsafe.Add(ref act, activationBytes), 0, sum1);
            }
            if (TActs.Count > 2)
            {
                sum2 = Step(u, negative, d * Vector128.CreateScalar(Unsafe.Add(ref actScale, 2 * activationScaleStride)), ref Unsafe.Add(ref act, 2 * activationBytes), 0, sum2);
            }
            if (TActs.Count > 3)
            {
                sum3 = Step(u, negative, d * Vector128.CreateScalar(Unsafe.Add(ref actScale, 3 * activationScaleStride)), ref Unsafe.Add(ref act, 3 * activationBytes), 0, sum3);
            }
        }
        ActivationResults.Store<TActs>(ref destination, destinationStride, LaneSum.Of(sum0), LaneSum.Of(sum1), LaneSum.Of(sum2), LaneSum.Of(sum3));
    }

    public static bool ReadsWeightScales => !TBlock.IsAffine;

    /// <summary>
    /// The same additions, in the same order, as <see cref="Dot{TActs}"/> for one activation row, so a row's result
    /// does not depend on the tile it is computed in. Four blocks per step here: their four half scales are gathered
    /// into one register and widened together, then two two-block steps.
    /// </summary>
    public static float DotOne(ref byte weights, int blocks, ref byte activations, ref float activationScales)
    {
        const int actBlock = Block32.Q8_0Bytes;
        Vector512<float> sum = default;
        var lowPair = Vector512.Create(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1);
        var highPair = Vector512.Create(2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3);
        int b = 0;
        for (; b + 4 <= blocks; b += 4)
        {
            ref byte first = ref Unsafe.Add(ref weights, b * TBlock.Bytes);
            ulong halves = Unsafe.ReadUnaligned<ushort>(ref first)
                | (ulong)Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref first, TBlock.Bytes)) << 16
                | (ulong)Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref first, 2 * TBlock.Bytes)) << 32
                | (ulong)Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref first, 3 * TBlock.Bytes)) << 48;
            var d = Fp16.ToSingle(Vector128.WidenLower(Vector128.CreateScalarUnsafe(halves).AsUInt16()))
                * Vector128.LoadUnsafe(ref activationScales, (nuint)b);
            var spread = d.ToVector256Unsafe().ToVector512Unsafe();
            ref byte act = ref Unsafe.Add(ref activations, b * actBlock);
            sum = SignedStep(ref first, Vector512.Shuffle(spread, lowPair), ref act, sum);
            sum = SignedStep(ref Unsafe.Add(ref first, 2 * TBlock.Bytes), Vector512.Shuffle(spread, highPair), ref Unsafe.Add(ref act, 2 * actBlock), sum);
        }
        if (b + 2 <= blocks)
        {
            ref byte first = ref Unsafe.Add(ref weights, b * TBlock.Bytes);
            uint halves = Unsafe.ReadUnaligned<ushort>(ref first) | (uint)Unsafe.ReadUnaligned<ushort>(ref Unsafe.Add(ref first, TBlock.Bytes)) << 16;
            var d = Fp16.ToSingle(Vector128.WidenLower(Vector128.CreateScalarUnsafe(halves).AsUInt16())) * Pair(ref Unsafe.Add(ref activationScales, b));
            sum = SignedStep(ref first, Vector512.Shuffle(d.ToVector256Unsafe().ToVector512Unsafe(), lowPair), ref Unsafe.Add(ref activations, b * actBlock), sum);
            b += 2;
        }
        if (b < blocks)
        {
            // The odd last block, as in Dot: the low half only, the high half's scale zero.
            ref byte block = ref Unsafe.Add(ref weights, b * TBlock.Bytes);
            var v = Block32Avx<TBlock, Avx2ByteDot>.Values(ref block).ToVector512();
            var scale = Vector128.CreateScalar(Fp16.Read(ref block, 0)) * Vector128.CreateScalar(Unsafe.Add(ref activationScales, b));
            sum = Step(Avx512BW.Abs(v.AsSByte()), Vector512.LessThan(v.AsSByte(), Vector512<sbyte>.Zero), scale,
                ref Unsafe.Add(ref activations, b * actBlock), 0, sum);
        }
        return LaneSum.Of(sum);
    }

    /// <summary>
    /// Two signed blocks from <paramref name="first"/> against their activation codes, scaled lane-wise by
    /// <paramref name="spread"/> (block b's <c>d_w·d_a</c> in lanes 0..7, block b + 1's in lanes 8..15).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> SignedStep(ref byte first, Vector512<float> spread, ref byte act, Vector512<float> sum)
    {
        var v = Block32Avx<TBlock, Avx2ByteDot>.Values(ref first).ToVector512Unsafe()
            .WithUpper(Block32Avx<TBlock, Avx2ByteDot>.Values(ref Unsafe.Add(ref first, TBlock.Bytes)));
        var negative = Vector512.LessThan(v.AsSByte(), Vector512<sbyte>.Zero);
        var a = Vector256.LoadUnsafe(ref act, 2).ToVector512Unsafe()
            .WithUpper(Vector256.LoadUnsafe(ref Unsafe.Add(ref act, Block32.Q8_0Bytes), 2)).AsSByte();
        a = (a ^ negative) - negative;
        var dots = Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(Avx512BW.Abs(v.AsSByte()), a), Vector512.Create((short)1));
        return Vector512.FusedMultiplyAdd(spread, Vector512.ConvertToSingle(dots), sum);
    }

    /// <summary>Two consecutive scales in lanes 0 and 1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> Pair(ref float scales) =>
        Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<double>(ref Unsafe.As<float, byte>(ref scales))).AsSingle();

    /// <summary>
    /// Adds two blocks' <c>d_w·d_a·Σ v·a</c> to <paramref name="sum"/>; <paramref name="scales"/> holds the two
    /// products <c>d_w·d_a</c> in lanes 0 and 1. For the odd last block <paramref name="activationBlock"/> is 0, so
    /// the upper load repeats the block's own codes (valid memory); its products vanish because the upper half of
    /// <paramref name="u"/> is zero, and lane 1 of the scales is zero as well.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Step(Vector512<byte> u, Vector512<sbyte> negative, Vector128<float> scales, ref byte act, int activationBlock, Vector512<float> sum)
    {
        nuint codes = (nuint)(TBlock.IsAffine ? 4 : 2);
        Vector256<byte> lower = Vector256.LoadUnsafe(ref act, codes);
        Vector256<byte> upper = Vector256.LoadUnsafe(ref Unsafe.Add(ref act, activationBlock), codes);
        var a = lower.ToVector512Unsafe().WithUpper(upper).AsSByte();
        if (!TBlock.IsAffine)
        {
            a = (a ^ negative) - negative;
        }
        var dots = Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(u, a), Vector512.Create((short)1));
        var spread = Vector512.Shuffle(scales.ToVector256Unsafe().ToVector512Unsafe(), Vector512.Create(0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1));
        return Vector512.FusedMultiplyAdd(spread, Vector512.ConvertToSingle(dots), sum);
    }
}
