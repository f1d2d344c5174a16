namespace DeepSharp.Quantization;

/// <summary>
/// The row loops and argument checks shared by the plain float formats (F32, F16, BF16), whose "blocks" are
/// single elements dotted with activations of the same type.
/// </summary>
internal abstract class ElementFormat(GgmlType type, int elementBytes) : IPathFormat
{
    public GgmlType Type { get; } = type;

    public int BlockSize => 1;

    public int BlockBytes { get; } = elementBytes;

    public GgmlType DotType => Type;

    public abstract void Dequantize(ReadOnlySpan<byte> blocks, Span<float> destination);

    public abstract void Quantize(ReadOnlySpan<float> source, Span<byte> destination);

    public float Dot(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations, int count) =>
        Dot(KernelPaths.Active, weights, activations, count);

    public void DotRows(ReadOnlySpan<byte> weightRows, int rowBytes, int rowCount, ReadOnlySpan<byte> activations, int count, Span<float> destination)
    {
        if (rowCount >= 0)
        {
            QuantArgs.Elements(Type, rowCount, destination.Length, nameof(destination));
        }
        DotTile(KernelPaths.Active, weightRows, rowBytes, rowCount, activations, 1, count, destination, rowCount);
    }

    public void DotTile(
        ReadOnlySpan<byte> weightRows, int rowBytes, int rowCount, ReadOnlySpan<byte> activations, int activationCount, int count,
        Span<float> destination, int destinationStride) =>
        DotTile(KernelPaths.Active, weightRows, rowBytes, rowCount, activations, activationCount, count, destination, destinationStride);

    /// <summary><see cref="Dot(ReadOnlySpan{byte}, ReadOnlySpan{byte}, int)"/> on a given path.</summary>
    public float Dot(KernelPath path, ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations, int count)
    {
        QuantArgs.ElementDot(Type, count, BlockBytes, weights.Length, activations.Length);
        return DotRow(CheckPath(path), weights, activations);
    }

    /// <summary><see cref="DotTile(ReadOnlySpan{byte}, int, int, ReadOnlySpan{byte}, int, int, Span{float}, int)"/> on a given path.</summary>
    public void DotTile(
        KernelPath path, ReadOnlySpan<byte> weightRows, int rowBytes, int rowCount, ReadOnlySpan<byte> activations, int activationCount, int count,
        Span<float> destination, int destinationStride)
    {
        QuantArgs.Blocks(Type, 1, count, nameof(count));
        QuantArgs.Tile(Type, count, BlockBytes, BlockBytes, weightRows.Length, rowBytes, rowCount,
            activations.Length, activationCount, destination.Length, destinationStride);
        CheckPath(path);
        int bytes = count * BlockBytes;
        for (int r = 0; r < rowCount; r++)
        {
            var row = weightRows.Slice(r * rowBytes, bytes);
            for (int t = 0; t < activationCount; t++)
            {
                destination[t * destinationStride + r] = DotRow(path, row, activations.Slice(t * bytes, bytes));
            }
        }
    }

    /// <summary>The float formats have no SIMD quantizer: every path runs <see cref="Quantize(ReadOnlySpan{float}, Span{byte})"/>.</summary>
    public void Quantize(KernelPath path, ReadOnlySpan<float> source, Span<byte> destination) => Quantize(source, destination);

    public override string ToString() => Type.ToString();

    /// <summary>The dot product of two rows of equal length on a supported <paramref name="path"/>.</summary>
    protected abstract float DotRow(KernelPath path, ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations);

    private static KernelPath CheckPath(KernelPath path) =>
        KernelPaths.IsSupported(path) ? path : throw new NotSupportedException($"kernel path {path} is not supported on this processor");
}
