using System.Buffers;

namespace DeepSharp.Quantization;

/// <summary>The tensor formats DeepSharp can decode, encode and dot, looked up by ggml type.</summary>
public static class QuantFormats
{
    private static readonly IQuantFormat[] s_all =
    [
        F32Format.Instance, Float16Format.F16, Float16Format.BF16,
        Q4_0Format.Instance, Q4_1Format.Instance, Q5_0Format.Instance, Q5_1Format.Instance,
        Q8_0Format.Instance, Q8_1Format.Instance,
        Q2KFormat.Instance, Q3KFormat.Instance, Q4KFormat.Instance, Q5KFormat.Instance, Q6KFormat.Instance,
        Q8KFormat.Instance,
        IQ4NLFormat.Instance, IQ4XSFormat.Instance,
    ];

    private static readonly Dictionary<GgmlType, IQuantFormat> s_byType = s_all.ToDictionary(f => f.Type);

    /// <summary>Every supported format, in ggml type order of the weight formats first.</summary>
    public static IReadOnlyList<IQuantFormat> All { get; } = Array.AsReadOnly(s_all);

    /// <summary>True when <paramref name="type"/> has an implementation here.</summary>
    public static bool IsSupported(GgmlType type) => s_byType.ContainsKey(type);

    /// <summary>The format of <paramref name="type"/>.</summary>
    /// <exception cref="NotSupportedException">The type has no implementation here.</exception>
    public static IQuantFormat Get(GgmlType type) =>
        s_byType.TryGetValue(type, out var format)
            ? format
            : throw new NotSupportedException($"unsupported tensor type {type}");

    /// <summary>Bytes taken by <paramref name="elements"/> elements of <paramref name="format"/>.</summary>
    /// <exception cref="ArgumentException">The count is not a whole number of blocks.</exception>
    public static int RowBytes(this IQuantFormat format, int elements) =>
        QuantArgs.Blocks(format.Type, format.BlockSize, elements, nameof(elements)) * format.BlockBytes;

    /// <summary>Bytes an activation row of <paramref name="elements"/> takes in <paramref name="format"/>'s dot type.</summary>
    public static int ActivationBytes(this IQuantFormat format, int elements) => Get(format.DotType).RowBytes(elements);

    /// <summary>
    /// Converts an F32 activation row to <paramref name="format"/>'s <see cref="IQuantFormat.DotType"/> as llama.cpp's
    /// x86 CPU backend does before a product: Q8_0 and Q8_1 codes are <c>round(x·(127/max|x|))</c> with halves to
    /// even (the reference quantizer, <see cref="IQuantFormat.Quantize"/> of the dot type, rounds <c>x·(1/d)</c> with
    /// halves away from zero); Q8_K and the float types use their format's quantizer.
    /// </summary>
    /// <param name="format">The weight format the activations will be dotted with.</param>
    /// <param name="source">The activations.</param>
    /// <param name="destination">Exactly <see cref="ActivationBytes"/> bytes.</param>
    public static void QuantizeActivations(this IQuantFormat format, ReadOnlySpan<float> source, Span<byte> destination) =>
        ActivationQuantizer.Quantize(KernelPaths.Active, format.DotType, source, destination);

    /// <summary>
    /// Convenience for one-off use: the dot product of a weight row with F32 activations, which are first
    /// converted to the dot type (as llama.cpp does). Loops over many weight rows should convert once with
    /// <see cref="QuantizeActivations"/> and call <see cref="IQuantFormat.Dot"/> per row instead.
    /// </summary>
    public static float DotF32(this IQuantFormat format, ReadOnlySpan<byte> weights, ReadOnlySpan<float> activations)
    {
        int bytes = format.ActivationBytes(activations.Length);
        byte[] rented = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            var converted = rented.AsSpan(0, bytes);
            format.QuantizeActivations(activations, converted);
            return format.Dot(weights, converted, activations.Length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
