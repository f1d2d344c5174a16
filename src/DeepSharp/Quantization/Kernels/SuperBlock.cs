using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// Q8_K activation geometry and the block arithmetic shared by the 256-element kernels: what multiplies the
/// activation group sums (<c>bsums</c>), the lane accumulators of the AVX2 and AVX-512 kernels, and the float
/// expression that finishes a block exactly as the scalar reference (<see cref="AffineSuperBlockFormat"/>,
/// <see cref="ScaledSuperBlockFormat"/>) writes it, for the 128-bit kernel.
/// </summary>
internal static class SuperBlock
{
    /// <summary>Bytes of a Q8_K activation block.</summary>
    public const int ActivationBytes = 292;

    /// <summary>Offset of the 256 activation codes, after the f32 scale.</summary>
    public const int Codes = Q8KFormat.CodesOffset;

    /// <summary>Offset of the 16 short group sums.</summary>
    public const int Sums = Q8KFormat.SumsOffset;

    /// <summary>
    /// Byte-shuffle indices <c>[2c ×8, 2c+1 ×8]</c> for chunk c = 0..7: applied to the 16 group scales, they give
    /// the scales of the chunk's two groups, each repeated over the 8 short lanes that hold that group's pair sums.
    /// </summary>
    private static ReadOnlySpan<byte> ChunkScaleShuffle =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1,
        2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3,
        4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5,
        6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7,
        8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9,
        10, 10, 10, 10, 10, 10, 10, 10, 11, 11, 11, 11, 11, 11, 11, 11,
        12, 12, 12, 12, 12, 12, 12, 12, 13, 13, 13, 13, 13, 13, 13, 13,
        14, 14, 14, 14, 14, 14, 14, 14, 15, 15, 15, 15, 15, 15, 15, 15,
    ];

    /// <summary>
    /// Per-sub-block bytes of a format with 32-element sub-blocks (byte k of <paramref name="perSubBlock"/> for
    /// sub-block k = 0..7) spread to its two 16-element groups: byte g of the result is byte g / 2.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> PerGroup(ulong perSubBlock) =>
        Vector128.Shuffle(Vector128.CreateScalar(perSubBlock).AsByte(), Vector128.Create((byte)0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7));

    /// <summary>
    /// The 16 short lanes that scale chunk <paramref name="chunk"/>'s <c>vpmaddubsw</c> output: lanes 0..7 carry
    /// group 2c's scale, lanes 8..15 group 2c + 1's (a byte shuffle, then sign extension to shorts).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> ChunkScales(Vector128<sbyte> scales, int chunk) =>
        Avx2.ConvertToVector256Int16(Ssse3.Shuffle(scales, Vector128.LoadUnsafe(ref MemoryMarshal.GetReference(ChunkScaleShuffle), (nuint)(16 * chunk)).AsSByte()));

    /// <summary>
    /// Word-permute indices <c>[4p ×8, 4p+1 ×8, 4p+2 ×8, 4p+3 ×8]</c> for quarter p = 0..3 of a block: applied to the
    /// 16 group scales as shorts, they give the scales of the quarter's four groups, each over its eight lanes.
    /// </summary>
    private static ReadOnlySpan<short> QuarterScaleIndex =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3, 3, 3, 3,
        4, 4, 4, 4, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7, 7, 7,
        8, 8, 8, 8, 8, 8, 8, 8, 9, 9, 9, 9, 9, 9, 9, 9, 10, 10, 10, 10, 10, 10, 10, 10, 11, 11, 11, 11, 11, 11, 11, 11,
        12, 12, 12, 12, 12, 12, 12, 12, 13, 13, 13, 13, 13, 13, 13, 13, 14, 14, 14, 14, 14, 14, 14, 14, 15, 15, 15, 15, 15, 15, 15, 15,
    ];

    /// <summary>The 16 group scales as shorts in the low half of a zmm register, widened once per block for <see cref="QuarterScales"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<short> WideScales(Vector128<sbyte> scales) => Avx2.ConvertToVector256Int16(scales).ToVector512Unsafe();

    /// <summary>
    /// The 32 short lanes that scale the <c>vpmaddubsw</c> output of elements <c>64p .. 64p + 63</c> in a zmm
    /// register: eight lanes each for groups 4p..4p+3, one <c>vpermw</c> of <see cref="WideScales"/>. A byte shuffle
    /// and a sign extension per quarter (two shuffle-port operations) made the Q4_K kernel about 5 % slower.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<short> QuarterScales(Vector512<short> wideScales, int pair) =>
        Avx512BW.PermuteVar32x16(wideScales, Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(QuarterScaleIndex), (nuint)(32 * pair)));

    /// <summary>
    /// What multiplies each activation group sum, as 16 shorts: the minimums (affine), the scales times the code
    /// offset 2^k (offset), or nothing (signed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<short> SumWeights<TBlock>(Vector128<sbyte> scales, Vector128<byte> mins)
        where TBlock : ISuperBlock<TBlock> => TBlock.Kind switch
        {
            SuperBlockKind.Affine => Avx2.ConvertToVector256Int16(mins).AsInt16(),
            SuperBlockKind.Offset => Avx2.ConvertToVector256Int16(scales) << TBlock.OffsetShift,
            _ => default,
        };

    /// <summary>
    /// The activation's 16 group sums times <paramref name="sumWeights"/> (<see cref="SumWeights"/>), pairs added: 8
    /// ints whose total is the minimum or offset term; nothing for the signed kind.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> Weighted<TBlock>(Vector256<short> sumWeights, ref byte act)
        where TBlock : ISuperBlock<TBlock> => TBlock.Kind == SuperBlockKind.Signed
        ? default
        : Avx2.MultiplyAddAdjacent(Vector256.LoadUnsafe(ref act, Sums).AsInt16(), sumWeights);

    /// <summary>
    /// Adds one block to a row's float accumulator of four lanes <c>[code a, code b, weighted a, weighted b]</c>.
    /// <c>code</c> holds Σ_g scale_g·Σ q·a in 8 int lanes and <c>weighted</c> (from <c>vpmaddwd</c> of the group
    /// sums with <see cref="SumWeights"/>) Σ_g sumWeight_g·bsum_g; one horizontal add folds them to two exact
    /// integer halves each, which are scaled by <c>d·da</c> (and <c>dmin·da</c>) and added with one FMA.
    /// </summary>
    /// <remarks>
    /// Keeping the sum in lanes until the row ends, instead of reducing every block to a float in the reference's
    /// order, saves the horizontal reductions and the serial float chain (about a fifth of the kernel's time). The
    /// result differs from the scalar reference by float rounding only; <see cref="Accumulate4{TBlock}"/> does the
    /// same lane arithmetic for four rows, so a row gives the same bits whether it is dotted alone or in a tile.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Accumulate<TBlock>(Vector128<float> sum, Vector256<int> code, Vector256<int> weighted, Vector128<float> scales, ref byte act)
        where TBlock : ISuperBlock<TBlock>
    {
        float da = Unsafe.ReadUnaligned<float>(ref act);
        var pairs = Pairs<TBlock>(code, weighted);
        var halves = pairs.GetLower() + pairs.GetUpper();
        float dda = scales.ToScalar() * da;
        float mda = TBlock.Kind == SuperBlockKind.Affine ? scales.GetElement(1) * da : 0;
        return Vector128.FusedMultiplyAdd(Vector128.ConvertToSingle(halves), Vector128.Create(dda, dda, mda, mda), sum);
    }

    /// <summary>
    /// <see cref="Accumulate{TBlock}"/> for four activation rows whose scales are <paramref name="da"/>: rows 0 and
    /// 1 accumulate in <paramref name="sum01"/> (four lanes each), rows 2 and 3 in <paramref name="sum23"/>, with the
    /// same integer halves and the same float operations per lane as the one-row form.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Accumulate4<TBlock>(
        ref Vector256<float> sum01, ref Vector256<float> sum23,
        Vector256<int> code0, Vector256<int> code1, Vector256<int> code2, Vector256<int> code3,
        Vector256<int> weighted0, Vector256<int> weighted1, Vector256<int> weighted2, Vector256<int> weighted3,
        Vector128<float> scales, Vector128<float> da)
        where TBlock : ISuperBlock<TBlock>
    {
        Vector256<int> p0 = Pairs<TBlock>(code0, weighted0), p1 = Pairs<TBlock>(code1, weighted1);
        Vector256<int> p2 = Pairs<TBlock>(code2, weighted2), p3 = Pairs<TBlock>(code3, weighted3);
        // [p0.lower | p1.lower] + [p0.upper | p1.upper]: each row's halves, as the one-row form adds them.
        var halves01 = Avx2.Permute2x128(p0, p1, 0x20) + Avx2.Permute2x128(p0, p1, 0x31);
        var halves23 = Avx2.Permute2x128(p2, p3, 0x20) + Avx2.Permute2x128(p2, p3, 0x31);
        var dda = Vector128.Create(scales.ToScalar()) * da;
        var mda = TBlock.Kind == SuperBlockKind.Affine ? Vector128.Create(scales.GetElement(1)) * da : Vector128<float>.Zero;
        var both = Vector256.Create(dda, mda); // [dda0..3, mda0..3]
        var factors01 = Avx2.PermuteVar8x32(both, Vector256.Create(0, 0, 4, 4, 1, 1, 5, 5));
        var factors23 = Avx2.PermuteVar8x32(both, Vector256.Create(2, 2, 6, 6, 3, 3, 7, 7));
        sum01 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(halves01), factors01, sum01);
        sum23 = Vector256.FusedMultiplyAdd(Vector256.ConvertToSingle(halves23), factors23, sum23);
    }

    /// <summary>A row's dot product from its accumulator lanes <c>[code a, code b, weighted a, weighted b]</c>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Total(Vector128<float> sum) => (sum.GetElement(0) + sum.GetElement(1)) - (sum.GetElement(2) + sum.GetElement(3));

    /// <summary>
    /// Per 128-bit half <c>[c0+c1, c2+c3, w0+w1, w2+w3]</c> (affine), or the code lanes less the offset term and
    /// zeros (offset), or the code lanes and zeros (signed).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Pairs<TBlock>(Vector256<int> code, Vector256<int> weighted)
        where TBlock : ISuperBlock<TBlock> => TBlock.Kind switch
        {
            SuperBlockKind.Affine => Avx2.HorizontalAdd(code, weighted),
            SuperBlockKind.Offset => Avx2.HorizontalAdd(code - weighted, Vector256<int>.Zero),
            _ => Avx2.HorizontalAdd(code, Vector256<int>.Zero),
        };

    /// <summary>The reference's float expression on integer totals (for kernels that reduce their own lanes).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Finish<TBlock>(int code, int weighted, Vector128<float> scales, ref byte act)
        where TBlock : ISuperBlock<TBlock>
    {
        float da = Unsafe.ReadUnaligned<float>(ref act);
        float d = scales.ToScalar();
        return TBlock.Kind switch
        {
            SuperBlockKind.Affine => d * da * code - scales.GetElement(1) * da * weighted,
            SuperBlockKind.Offset => d * da * (code - weighted),
            _ => d * da * code,
        };
    }
}
