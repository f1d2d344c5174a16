namespace DeepSharp.Quantization.Kernels;

/// <summary>How a 256-element format's codes become values, which decides how its kernel finishes a block.</summary>
internal enum SuperBlockKind
{
    /// <summary>
    /// <c>y = (d·sc)·q − dmin·m</c> with unsigned codes (Q2_K, Q4_K, Q5_K): the block contributes
    /// <c>d·d_a·Σ sc·Σ q·a − dmin·d_a·Σ m·bsum</c>.
    /// </summary>
    Affine,

    /// <summary>
    /// <c>y = (d·s)·(q − 2^k)</c> with unsigned codes (Q3_K: k = 2, Q6_K: k = 5): the offset is taken out after the
    /// code products, <c>Σ s·Σ (q − 2^k)·a = Σ s·Σ q·a − 2^k·Σ s·bsum</c>, so codes stay unsigned bytes.
    /// </summary>
    Offset,

    /// <summary><c>y = (d·s)·v</c> with signed values (IQ4_XS's codebook levels): the sign trick multiplies them.</summary>
    Signed,
}
