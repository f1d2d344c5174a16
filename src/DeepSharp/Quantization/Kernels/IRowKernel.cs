namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// A SIMD kernel for one weight format on one <see cref="KernelPath"/>: the dot products of one weight row with
/// one to four (or eight) activation rows, each weight block decoded once and used for all of them.
/// </summary>
/// <remarks>
/// Arguments are already checked: <c>weights</c> holds <c>blocks</c> blocks, each activation row
/// <c>blocks</c> blocks of the dot type, and activation row t starts <c>t·activationBytes</c> bytes after the
/// first. Result t goes to <c>destination[t·destinationStride]</c>.
/// </remarks>
internal interface IRowKernel
{
    /// <summary>Dots one weight row with <typeparamref name="TActs"/> activation rows.</summary>
    static abstract void Dot<TActs>(ref byte weights, int blocks, ref byte activations, nint activationBytes, ref float destination, nint destinationStride)
        where TActs : struct, IActivationCount;

    /// <summary>
    /// The most activation rows one <see cref="Dot{TActs}"/> serves: 4, or 8 for a kernel that has the registers
    /// (<see cref="EightActivations"/>), which decodes each weight block once for eight rows.
    /// </summary>
    static virtual int MaxActivations => 4;
}
