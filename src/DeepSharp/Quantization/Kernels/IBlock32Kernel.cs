namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// A SIMD kernel for a 32-element format on one <see cref="KernelPath"/>: one weight row against one to four
/// activation rows, with the half scales of the activations (and, unless <see cref="ReadsWeightScales"/>, of the
/// weights) already widened to floats by <see cref="Block32Driver"/>.
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
    /// True when the kernel reads the weight scales <c>d</c> from the blocks itself and ignores <c>weightScales</c>
    /// (the signed formats on the AVX paths). Widening them first in the driver reads every cache line of the
    /// row in a separate pass (one scale per 34 bytes of Q8_0): in a one-thread Q8_0 decode that pass took more
    /// time than the dot, as it took the row's cache misses without overlapping them with work.
    /// </summary>
    static virtual bool ReadsWeightScales => false;

    /// <summary>The most activation rows one <see cref="Dot{TActs}"/> serves: 4, or 8 (<see cref="EightActivations"/>).</summary>
    static virtual int MaxActivations => 4;
}
