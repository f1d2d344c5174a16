namespace DeepSharp.Quantization;

/// <summary>
/// Converts F32 activation rows to a weight format's dot type as llama.cpp's x86 CPU backend does before a product:
/// Q8_0 and Q8_1 with <see cref="Q8Rounding.Activation"/>, every other dot type (Q8_K, the float types) with its
/// format's quantizer. The one place activations are rounded, for the engine and for
/// <see cref="QuantFormats.QuantizeActivations"/> alike.
/// </summary>
internal static class ActivationQuantizer
{
    /// <summary>Converts <paramref name="source"/> to <paramref name="dotType"/> on <paramref name="path"/>; every path writes the same bytes.</summary>
    /// <exception cref="ArgumentException">The lengths are not whole blocks or do not match.</exception>
    /// <exception cref="NotSupportedException">The path is not supported on this processor.</exception>
    public static void Quantize(KernelPath path, GgmlType dotType, ReadOnlySpan<float> source, Span<byte> destination)
    {
        var format = (IPathFormat)QuantFormats.Get(dotType);
        if (dotType is not (GgmlType.Q8_0 or GgmlType.Q8_1))
        {
            format.Quantize(path, source, destination);
            return;
        }
        int n = QuantArgs.Blocks(dotType, format.BlockSize, source.Length, nameof(source));
        QuantArgs.Bytes(dotType, n, format.BlockBytes, destination.Length, nameof(destination));
        if (path != KernelPath.Scalar && !KernelPaths.IsSupported(path))
        {
            throw new NotSupportedException($"kernel path {path} is not supported on this processor");
        }
        int bytes = format.BlockBytes;
        for (int b = 0; b < n; b++)
        {
            var x = source.Slice(b * 32, 32);
            var block = destination.Slice(b * bytes, bytes);
            if (dotType == GgmlType.Q8_0)
            {
                Q8_0Format.QuantizeActivationBlock(path, x, block);
            }
            else
            {
                Q8_1Format.QuantizeActivationBlock(path, x, block);
            }
        }
    }
}
