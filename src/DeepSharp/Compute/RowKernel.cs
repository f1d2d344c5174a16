using System.Collections.Concurrent;
using DeepSharp.Formats.Gguf;
using DeepSharp.Quantization;

namespace DeepSharp.Compute;

/// <summary>
/// How weight rows of one stored type meet activations. As in llama.cpp, an activation row is prepared once in
/// the type the weight type is paired with (F16 activations for F16 weights, Q8 blocks for quantized ones) and
/// then dotted with every weight row, so results match llama.cpp's to rounding.
/// </summary>
internal abstract unsafe class RowKernel
{
    private static readonly ConcurrentDictionary<GgmlType, RowKernel> s_quantized = new();

    [ThreadStatic]
    private static float[]? t_row;

    /// <summary>
    /// The kernel for weights of <paramref name="type"/>: the float types have vectorised kernels here; block formats
    /// use <see cref="QuantFormats"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">DeepSharp cannot compute with this type.</exception>
    public static RowKernel For(GgmlType type, string tensorName) => type switch
    {
        GgmlType.F32 => F32RowKernel.Instance,
        GgmlType.F16 => F16RowKernel.Instance,
        GgmlType.BF16 => BF16RowKernel.Instance,
        _ when QuantFormats.IsSupported(type) => s_quantized.GetOrAdd(type, t => new QuantRowKernel(QuantFormats.Get(t))),
        _ => throw new UnsupportedTensorTypeException(type, tensorName),
    };

    /// <summary>The type activation rows are prepared in: two kernels with the same one prepare a row to the same bytes.</summary>
    public abstract GgmlType PreparedType { get; }

    /// <summary>Bytes of a prepared activation row of <paramref name="columns"/> values.</summary>
    public abstract int PreparedBytes(int columns);

    /// <summary>Converts an activation row into the weight type's partner type.</summary>
    public abstract void Prepare(ReadOnlySpan<float> x, Span<byte> prepared);

    /// <summary>The dot product of one stored weight row with a prepared activation row.</summary>
    public abstract float Dot(ReadOnlySpan<byte> weightRow, ReadOnlySpan<byte> prepared, int columns);

    /// <summary>
    /// A tile of a matrix product: <c>destination[t·destinationStride + r]</c> = weight row r · prepared row t for
    /// <paramref name="rowCount"/> weight rows (<paramref name="rowBytes"/> apart) and <paramref name="activationCount"/>
    /// prepared rows (<paramref name="preparedBytes"/> apart). This default dots row by row; the block formats override
    /// it with their tile kernels, which decode each weight block once for several activation rows.
    /// </summary>
    public virtual void Tile(
        byte* weights, long rowBytes, int rowCount, byte* prepared, int preparedBytes, int activationCount, int columns,
        float* destination, int destinationStride)
    {
        for (int r = 0; r < rowCount; r++)
        {
            var row = new ReadOnlySpan<byte>(weights + r * rowBytes, (int)rowBytes);
            for (int t = 0; t < activationCount; t++)
            {
                destination[(long)t * destinationStride + r] = Dot(row, new ReadOnlySpan<byte>(prepared + (long)t * preparedBytes, preparedBytes), columns);
            }
        }
    }

    /// <summary>Decodes one stored row to floats.</summary>
    public abstract void Dequantize(ReadOnlySpan<byte> weightRow, Span<float> destination);

    /// <summary>A per-thread buffer of <paramref name="columns"/> floats for widening one weight row.</summary>
    protected static Span<float> ScratchRow(int columns)
    {
        if (t_row is null || t_row.Length < columns)
        {
            t_row = new float[columns];
        }
        return t_row.AsSpan(0, columns);
    }
}
