using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
/// they accumulate lane by lane; the lanes are added at the end and the affine terms <c>m·s</c> in a scalar. So
/// only the order of the float additions differs from the reference, which adds block after block.
/// </remarks>
internal readonly struct Block32Avx<TBlock, TDot> : IRowKernel
    where TBlock : struct, IBlock32
    where TDot : struct, IByteDot256
{
    public static void Dot<TActs>(ref byte weights, int blocks, ref byte activations, nint activationBytes, ref float destination, nint destinationStride)
        where TActs : struct, IActivationCount
    {
        int activationBlock = Block32.ActivationBytes<TBlock>();
        Vector256<float> sum0 = default, sum1 = default, sum2 = default, sum3 = default;
        float min0 = 0, min1 = 0, min2 = 0, min3 = 0;
        for (int b = 0; b < blocks; b++)
        {
            ref byte block = ref Unsafe.Add(ref weights, b * TBlock.Bytes);
            var v = Values(ref block);
            var u = TBlock.IsAffine ? v : Avx2.Abs(v.AsSByte());
            float d = Block32.Half(ref block, 0);
            float m = TBlock.IsAffine ? Block32.Half(ref block, 2) : 0;
            ref byte act = ref Unsafe.Add(ref activations, b * activationBlock);
            sum0 = Step(u, v, d, m, ref act, sum0, ref min0);
            if (TActs.Count > 1)
            {
                sum1 = Step(u, v, d, m, ref Unsafe.Add(ref act, activationBytes), sum1, ref min1);
            }
            if (TActs.Count > 2)
            {
                sum2 = Step(u, v, d, m, ref Unsafe.Add(ref act, 2 * activationBytes), sum2, ref min2);
            }
            if (TActs.Count > 3)
            {
                sum3 = Step(u, v, d, m, ref Unsafe.Add(ref act, 3 * activationBytes), sum3, ref min3);
            }
        }
        destination = Vector256.Sum(sum0) + min0;
        if (TActs.Count > 1)
        {
            Unsafe.Add(ref destination, destinationStride) = Vector256.Sum(sum1) + min1;
        }
        if (TActs.Count > 2)
        {
            Unsafe.Add(ref destination, 2 * destinationStride) = Vector256.Sum(sum2) + min2;
        }
        if (TActs.Count > 3)
        {
            Unsafe.Add(ref destination, 3 * destinationStride) = Vector256.Sum(sum3) + min3;
        }
    }

    /// <summary>The 32 values (or codes) of one block, element j in byte j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<byte> Values(ref byte block)
    {
        var low = TBlock.Values(ref block, out var high);
        return Vector256.Create(low, high);
    }

    /// <summary>
    /// Adds one block's <c>d_w·d_a·Σ v·a</c> to <paramref name="sum"/> (and <c>m·s</c> to
    /// <paramref name="minSum"/>): <paramref name="u"/> holds the codes, or <c>|v|</c> for signed values.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static Vector256<float> Step(Vector256<byte> u, Vector256<byte> v, float d, float m, ref byte act, Vector256<float> sum, ref float minSum)
    {
        var a = Vector256.LoadUnsafe(ref act, (nuint)Block32.ActivationCodes<TBlock>()).AsSByte();
        var dots = TDot.Add(Vector256<int>.Zero, u, TBlock.IsAffine ? a : Avx2.Sign(a, v.AsSByte()));
        if (TBlock.IsAffine)
        {
            minSum += m * Block32.Half(ref act, 2);
        }
        return Vector256.FusedMultiplyAdd(Vector256.Create(d * Block32.Half(ref act, 0)), Vector256.ConvertToSingle(dots), sum);
    }
}
