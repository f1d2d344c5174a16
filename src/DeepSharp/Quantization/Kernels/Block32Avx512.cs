using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeepSharp.Quantization.Kernels;

/// <summary>The 512-bit (AVX-512BW) kernel of the 32-element formats.</summary>
/// <remarks>
/// Lanes: two blocks per zmm register, block b in bytes 0..31 and block b + 1 in bytes 32..63, each decoded as in
/// <see cref="Block32Avx{TBlock, TDot}"/>, against the two blocks' activation codes. AVX-512 has no
/// <c>vpsignb</c>, so signed values take their sign the long way: <c>|v|</c> times <c>(a ^ n) − n</c> with
/// <c>n</c> = all ones where <c>v &lt; 0</c>, which is −a there and a elsewhere; the product is <c>v·a</c>
/// exactly. <c>vpmaddubsw</c> + <c>vpmaddwd</c> leave 16 ints: lanes 0..7 sum to block b's integer sum,
/// lanes 8..15 to block b + 1's, and each half is scaled by its own <c>d_w·d_a</c>. An odd last block runs the
/// 256-bit AVX2 step. As there, only the order of float additions differs from the scalar reference.
/// </remarks>
internal readonly struct Block32Avx512<TBlock> : IRowKernel
    where TBlock : struct, IBlock32
{
    public static void Dot<TActs>(ref byte weights, int blocks, ref byte activations, nint activationBytes, ref float destination, nint destinationStride)
        where TActs : struct, IActivationCount
    {
        int activationBlock = Block32.ActivationBytes<TBlock>();
        Vector512<float> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
        float min0 = 0, min1 = 0, min2 = 0, min3 = 0;
        int b = 0;
        for (; b + 2 <= blocks; b += 2)
        {
            ref byte first = ref Unsafe.Add(ref weights, b * TBlock.Bytes);
            ref byte second = ref Unsafe.Add(ref first, TBlock.Bytes);
            var v = Vector512.Create(Block32Avx<TBlock, Avx2ByteDot>.Values(ref first), Block32Avx<TBlock, Avx2ByteDot>.Values(ref second));
            var u = TBlock.IsAffine ? v : Avx512BW.Abs(v.AsSByte());
            var negative = TBlock.IsAffine ? default : Vector512.LessThan(v.AsSByte(), Vector512<sbyte>.Zero);
            var pair = new Pair(Block32.Half(ref first, 0), Block32.Half(ref second, 0),
                TBlock.IsAffine ? Block32.Half(ref first, 2) : 0, TBlock.IsAffine ? Block32.Half(ref second, 2) : 0);
            ref byte act = ref Unsafe.Add(ref activations, b * activationBlock);
            sum0 = Step(u, negative, pair, ref act, activationBlock, sum0, ref min0);
            if (TActs.Count > 1)
            {
                sum1 = Step(u, negative, pair, ref Unsafe.Add(ref act, activationBytes), activationBlock, sum1, ref min1);
            }
            if (TActs.Count > 2)
            {
                sum2 = Step(u, negative, pair, ref Unsafe.Add(ref act, 2 * activationBytes), activationBlock, sum2, ref min2);
            }
            if (TActs.Count > 3)
            {
                sum3 = Step(u, negative, pair, ref Unsafe.Add(ref act, 3 * activationBytes), activationBlock, sum3, ref min3);
            }
        }
        Vector256<float> tail0 = default, tail1 = default, tail2 = default, tail3 = default;
        if (b < blocks)
        {
            ref byte block = ref Unsafe.Add(ref weights, b * TBlock.Bytes);
            var v = Block32Avx<TBlock, Avx2ByteDot>.Values(ref block);
            var u = TBlock.IsAffine ? v : Avx2.Abs(v.AsSByte());
            float d = Block32.Half(ref block, 0);
            float m = TBlock.IsAffine ? Block32.Half(ref block, 2) : 0;
            ref byte act = ref Unsafe.Add(ref activations, b * activationBlock);
            tail0 = Block32Avx<TBlock, Avx2ByteDot>.Step(u, v, d, m, ref act, tail0, ref min0);
            if (TActs.Count > 1)
            {
                tail1 = Block32Avx<TBlock, Avx2ByteDot>.Step(u, v, d, m, ref Unsafe.Add(ref act, activationBytes), tail1, ref min1);
            }
            if (TActs.Count > 2)
            {
                tail2 = Block32Avx<TBlock, Avx2ByteDot>.Step(u, v, d, m, ref Unsafe.Add(ref act, 2 * activationBytes), tail2, ref min2);
            }
            if (TActs.Count > 3)
            {
                tail3 = Block32Avx<TBlock, Avx2ByteDot>.Step(u, v, d, m, ref Unsafe.Add(ref act, 3 * activationBytes), tail3, ref min3);
            }
        }
        destination = Vector512.Sum(sum0) + Vector256.Sum(tail0) + min0;
        if (TActs.Count > 1)
        {
            Unsafe.Add(ref destination, destinationStride) = Vector512.Sum(sum1) + Vector256.Sum(tail1) + min1;
        }
        if (TActs.Count > 2)
        {
            Unsafe.Add(ref destination, 2 * destinationStride) = Vector512.Sum(sum2) + Vector256.Sum(tail2) + min2;
        }
        if (TActs.Count > 3)
        {
            Unsafe.Add(ref destination, 3 * destinationStride) = Vector512.Sum(sum3) + Vector256.Sum(tail3) + min3;
        }
    }

    /// <summary>Adds two blocks' <c>d_w·d_a·Σ v·a</c> to <paramref name="sum"/> and their <c>m·s</c> to <paramref name="minSum"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Step(Vector512<byte> u, Vector512<sbyte> negative, Pair pair, ref byte act, int activationBlock, Vector512<float> sum, ref float minSum)
    {
        ref byte next = ref Unsafe.Add(ref act, activationBlock);
        nuint codes = (nuint)Block32.ActivationCodes<TBlock>();
        var a = Vector512.Create(Vector256.LoadUnsafe(ref act, codes), Vector256.LoadUnsafe(ref next, codes)).AsSByte();
        if (!TBlock.IsAffine)
        {
            a = (a ^ negative) - negative;
        }
        var dots = Avx512BW.MultiplyAddAdjacent(Avx512BW.MultiplyAddAdjacent(u, a), Vector512.Create((short)1));
        if (TBlock.IsAffine)
        {
            minSum += pair.M0 * Block32.Half(ref act, 2) + pair.M1 * Block32.Half(ref next, 2);
        }
        var scale = Vector512.Create(Vector256.Create(pair.D0 * Block32.Half(ref act, 0)), Vector256.Create(pair.D1 * Block32.Half(ref next, 0)));
        return Vector512.FusedMultiplyAdd(scale, Vector512.ConvertToSingle(dots), sum);
    }

    /// <summary>The scales and minimums of the two weight blocks in a register.</summary>
    private readonly record struct Pair(float D0, float D1, float M0, float M1);
}
