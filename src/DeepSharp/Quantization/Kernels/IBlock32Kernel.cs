namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// A SIMD kernel for a 32-element format on one <see cref="KernelPath"/>: one weight row against one to four
/// activation rows, with the half scales of both already widened to floats by <see cref="Block32Driver"/>.
/// </summary>
/// <remarks>
/// <c>weightScales[b]</c> is weight block b's <c>d</c>; <c>activationScales[t·activationScaleStride + b]</c>
/// activation row t's. Result t, <c>Σ_b d_w·d_a·Σ v·a</c> without the affine minimum terms (the driver adds those),
/// goes to <c>destination[t·destinationStride]</c>.
/// </remarks>
internal interface IBlock32Kernel
{
    /// <summary>Dots one weight row with <typeparamref name="TActs"/> activation rows.</summary>
    static abstract void Dot<TActs>(
        ref byte weights, ref float weightScales, int blocks, ref byte activations, nint activationBytes,
        ref float activationScales, nint activationScaleStride, ref float destination, nint destinationStride)
        where TActs : struct, IActivationCount;

    /// <summary>
    /// True when <see cref="DotOne"/> reads the weight scales from the blocks itself. A one-row GEMV then passes
    /// over each weight row once: widening the scales first reads every cache line of the row in a separate
    /// pass (one scale per 34 bytes), which in decoding was half the time of the whole matrix product.
    /// </summary>
    static virtual bool ReadsWeightScales => false;

    /// <summary>
    /// One weight row of a signed format against one activation row, with the weight scales read (and widened)
    /// from the blocks as the row streams by; only called when <see cref="ReadsWeightScales"/> is true. Returns
    /// <c>Σ_b d_w·d_a·Σ v·a</c>, equal to <see cref="Dot{TActs}"/>'s result up to the order of float additions.
    /// </summary>
    static virtual float DotOne(ref byte weights, int blocks, ref byte activations, ref float activationScales) =>
        throw new NotSupportedException("This kernel widens the weight scales in the driver.");
}
