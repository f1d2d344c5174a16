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
}
