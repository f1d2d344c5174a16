namespace DeepSharp.Quantization;

/// <summary>
/// The <see cref="IQuantFormat"/> operations on an explicit <see cref="KernelPath"/> rather than
/// <see cref="KernelPaths.Active"/>: lets tests hold every path against the scalar reference side by side, without
/// touching the process-wide setting. The same argument checks apply; an unsupported path throws
/// <see cref="NotSupportedException"/>.
/// </summary>
internal interface IPathFormat : IQuantFormat
{
    /// <summary><see cref="IQuantFormat.Dot"/> on <paramref name="path"/>.</summary>
    float Dot(KernelPath path, ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations, int count);

    /// <summary><see cref="IQuantFormat.DotTile"/> on <paramref name="path"/>.</summary>
    void DotTile(
        KernelPath path, ReadOnlySpan<byte> weightRows, int rowBytes, int rowCount, ReadOnlySpan<byte> activations, int activationCount, int count,
        Span<float> destination, int destinationStride);

    /// <summary><see cref="IQuantFormat.Quantize"/> on <paramref name="path"/> (only the activation formats have SIMD quantizers).</summary>
    void Quantize(KernelPath path, ReadOnlySpan<float> source, Span<byte> destination);
}
