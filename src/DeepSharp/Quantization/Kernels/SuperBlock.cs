using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// Q8_K activation geometry and the block arithmetic shared by the 256-element kernels: what multiplies the
/// activation group sums (<c>bsums</c>), and the float expression that finishes a block exactly as the scalar
/// reference (<see cref="AffineSuperBlockFormat"/>, <see cref="ScaledSuperBlockFormat"/>) writes it.
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
    /// The 32 short lanes that scale the <c>vpmaddubsw</c> output of elements <c>64p .. 64p + 63</c> in a zmm
    /// register: eight lanes each for groups 4p..4p+3. <paramref name="scalesTwice"/> holds the 16 group scales in
    /// both 128-bit lanes, so one in-lane byte shuffle (rows 2p and 2p + 1 of the chunk table) and one sign
    /// extension build all four.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<short> QuarterScales(Vector256<sbyte> scalesTwice, int pair) =>
        Avx512BW.ConvertToVector512Int16(Avx2.Shuffle(scalesTwice, Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(ChunkScaleShuffle), (nuint)(32 * pair)).AsSByte()));

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
    /// One block's float contribution, in the scalar reference's order, from its integer lanes: <c>code</c>
    /// totals Σ_g scale_g·Σ q·a, <c>weighted</c> (8 ints from <c>vpmaddwd</c> of the group sums with
    /// <see cref="SumWeights"/>) totals Σ_g sumWeight_g·bsum_g. Lane totals are exact in any order; the affine
    /// kind needs both totals and gets them from two horizontal adds.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Finish<TBlock>(Vector256<int> code, Vector256<int> weighted, Vector128<float> scales, ref byte act)
        where TBlock : ISuperBlock<TBlock>
    {
        float da = Unsafe.ReadUnaligned<float>(ref act);
        float d = scales.ToScalar();
        switch (TBlock.Kind)
        {
            case SuperBlockKind.Affine:
                // [c0+c1, c2+c3, w0+w1, w2+w3 | c4+c5, c6+c7, w4+w5, w6+w7], halves added, then once more.
                var pairs = Avx2.HorizontalAdd(code, weighted);
                var quads = pairs.GetLower() + pairs.GetUpper();
                var totals = Ssse3.HorizontalAdd(quads, quads);
                return d * da * totals.ToScalar() - scales.GetElement(1) * da * totals.GetElement(1);
            case SuperBlockKind.Offset:
                return d * da * Vector256.Sum(code - weighted);
            default:
                return d * da * Vector256.Sum(code);
        }
    }

    /// <summary>
    /// <see cref="Finish{TBlock}(Vector256{int}, Vector256{int}, Vector128{float}, ref byte)"/> for four activation rows at
    /// once, lane t for row t: the eight integer vectors are reduced together (three horizontal adds per four vectors
    /// instead of two per vector), and the float expression runs lane-wise in the reference's order, so each lane
    /// is the bits the one-row finish gives.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Finish4<TBlock>(
        Vector256<int> code0, Vector256<int> code1, Vector256<int> code2, Vector256<int> code3,
        Vector256<int> weighted0, Vector256<int> weighted1, Vector256<int> weighted2, Vector256<int> weighted3,
        Vector128<float> scales, Vector128<float> da)
        where TBlock : ISuperBlock<TBlock>
    {
        var dda = Vector128.Create(scales.ToScalar()) * da;
        var codes = Totals(code0, code1, code2, code3);
        switch (TBlock.Kind)
        {
            case SuperBlockKind.Affine:
                var weights = Totals(weighted0, weighted1, weighted2, weighted3);
                return dda * Vector128.ConvertToSingle(codes) - Vector128.Create(scales.GetElement(1)) * da * Vector128.ConvertToSingle(weights);
            case SuperBlockKind.Offset:
                return dda * Vector128.ConvertToSingle(codes - Totals(weighted0, weighted1, weighted2, weighted3));
            default:
                return dda * Vector128.ConvertToSingle(codes);
        }
    }

    /// <summary>The lane totals of four 8-int vectors, as lanes 0..3 (integer adds are exact in any order).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<int> Totals(Vector256<int> a, Vector256<int> b, Vector256<int> c, Vector256<int> d)
    {
        // Per 128-bit half: [a01, a23, b01, b23], [c01, c23, d01, d23], then [a, b, c, d] partial sums.
        var quads = Avx2.HorizontalAdd(Avx2.HorizontalAdd(a, b), Avx2.HorizontalAdd(c, d));
        return quads.GetLower() + quads.GetUpper();
    }

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
