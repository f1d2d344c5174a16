using System.Runtime.Intrinsics;

namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// The SIMD decoder of a 256-element weight format (Q2_K..Q6_K, IQ4_XS), dotted with Q8_K activations. The
/// kernels see every format as 16 groups of 16 elements: per group an integer scale (a 32-element sub-block gives
/// its two groups the same one) and, for <see cref="SuperBlockKind.Affine"/> formats, an integer minimum; and per
/// element a code byte (0..63, or a signed value).
/// </summary>
/// <typeparam name="TSelf">The decoder itself, so that default members can call its other members.</typeparam>
internal interface ISuperBlock<TSelf>
    where TSelf : ISuperBlock<TSelf>
{
    /// <summary>Bytes per weight block.</summary>
    static abstract int Bytes { get; }

    /// <summary>How codes become values.</summary>
    static abstract SuperBlockKind Kind { get; }

    /// <summary>For <see cref="SuperBlockKind.Offset"/>: k in the code offset 2^k.</summary>
    static abstract int OffsetShift { get; }

    /// <summary>The block scale <c>d</c> in lane 0 and, for affine formats, the minimum scale <c>dmin</c> in lane 1.</summary>
    static abstract Vector128<float> FloatScales(ref byte block);

    /// <summary>
    /// The half bit patterns of <see cref="FloatScales"/>: <c>d</c> in the low 16 bits, <c>dmin</c> (or 0) in the high
    /// 16. The AVX-512 kernel widens four blocks' patterns at once for the affine formats.
    /// </summary>
    static abstract uint ScaleHalves(ref byte block);

    /// <summary>
    /// The integer scale of each 16-element group as a signed byte (group g in byte g), and for affine formats
    /// the minimums in <paramref name="mins"/> (zero otherwise). Portable; every path shares it.
    /// </summary>
    static abstract Vector128<sbyte> GroupScales(ref byte block, out Vector128<byte> mins);

    /// <summary>
    /// The codes of elements <c>64p .. 64p + 63</c> (groups 4p..4p+3): the first 32 returned, the next 32 in
    /// <paramref name="odd"/>, element order, one byte each. 256-bit (AVX2) code.
    /// </summary>
    static abstract Vector256<byte> Codes256(ref byte block, int pair, out Vector256<byte> odd);

    /// <summary>
    /// <see cref="Codes256"/>'s 64 codes in one zmm register (AVX-512). Formats whose layout allows it decode them
    /// directly at this width; the default joins the two 256-bit halves.
    /// </summary>
    static virtual Vector512<byte> Codes512(ref byte block, int pair)
    {
        var even = TSelf.Codes256(ref block, pair, out var odd);
        return even.ToVector512Unsafe().WithUpper(odd);
    }

    /// <summary>
    /// The codes of elements <c>32c .. 32c + 15</c> (group 2c, returned) and <c>32c + 16 .. 32c + 31</c>
    /// (group 2c + 1, in <paramref name="high"/>). Portable 128-bit code.
    /// </summary>
    static abstract Vector128<byte> Codes128(ref byte block, int chunk, out Vector128<byte> high);
}
