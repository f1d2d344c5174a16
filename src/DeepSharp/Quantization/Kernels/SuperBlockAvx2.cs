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
/// Both are summed across lanes at the end of every block, which yields the scalar reference's two integers
/// exactly, and <see cref="SuperBlock.Finish{TBlock}(Vector256{int}, Vector256{int}, Vector128{float}, ref byte)"/> evaluates the reference's float expression on them; blocks are
/// added in order. So the result equals the scalar reference bit for bit. <c>vpdpbusd</c> (AVX-VNNI) would replace
/// <c>vpmaddubsw</c> but not the per-group scale multiply after it, so it would save nothing here.
/// </para>
/// </remarks>
internal readonly struct SuperBlockAvx2<TBlock> : IRowKernel
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
            Vector256<int> code0 = default, code1 = default, code2 = default, code3 = default;
            for (int p = 0; p < 4; p++)
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
                    code1 += Products(evenMagnitudes, even, evenScales, ref act1, offset) + Products(oddMagnitudes, odd, oddScales, ref act1, offset + 32);
                }
                if (TActs.Count > 2)
                {
                    code2 += Products(evenMagnitudes, even, evenScales, ref act2, offset) + Products(oddMagnitudes, odd, oddScales, ref act2, offset + 32);
                }
                if (TActs.Count > 3)
                {
                    code3 += Products(evenMagnitudes, even, evenScales, ref act3, offset) + Products(oddMagnitudes, odd, oddScales, ref act3, offset + 32);
                }
            }
            var sumWeights = SuperBlock.SumWeights<TBlock>(scales, mins);
            var d = TBlock.FloatScales(ref block);
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
        ActivationResults.Store<TActs>(ref destination, destinationStride, sum0, sum1, sum2, sum3);
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

    /// <summary>The block's float contribution from its code lanes and the activation's group sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Finish(Vector256<int> code, Vector256<short> sumWeights, Vector128<float> scales, ref byte act)
    {
        var weighted = TBlock.Kind == SuperBlockKind.Signed
            ? default
            : Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref act, SuperBlock.Sums).AsInt16(), sumWeights);
        return SuperBlock.Finish<TBlock>(code, weighted, scales, ref act);
    }
}
