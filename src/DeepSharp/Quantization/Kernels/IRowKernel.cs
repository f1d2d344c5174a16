namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// A SIMD kernel for one weight format on one <see cref="KernelPath"/>: the dot products of one weight row with
/// one to four activation rows, each weight block decoded once and used for all of them.
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
}
