namespace DeepSharp.Quantization.Kernels;

/// <summary>
/// Dots <paramref name="rowCount"/> weight rows (starting <paramref name="rowBytes"/> apart) with
/// <paramref name="activationCount"/> activation rows (starting <paramref name="activationBytes"/> apart), each of
/// <paramref name="blocks"/> blocks: <c>destination[t·destinationStride + r] = row r · activation t</c>.
/// Arguments are already checked.
/// </summary>
internal delegate void TileKernel(
    ref byte weights, nint rowBytes, int rowCount, ref byte activations, nint activationBytes, int activationCount,
    int blocks, ref float destination, nint destinationStride);
