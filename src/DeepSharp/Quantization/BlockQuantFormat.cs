namespace DeepSharp.Quantization;

/// <summary>
/// The row loops and argument checks shared by the block formats; a format supplies the work on one block.
/// </summary>
internal abstract class BlockQuantFormat : IQuantFormat
{
    private readonly int _dotBlockBytes;

    protected BlockQuantFormat(GgmlType type, GgmlType dotType)
    {
        var info = GgmlTypeInfo.Get(type);
        var dot = GgmlTypeInfo.Get(dotType);
        if (dot.BlockSize != info.BlockSize)
        {
            throw new InvalidOperationException($"{type} blocks of {info.BlockSize} cannot pair with {dotType} blocks of {dot.BlockSize}");
        }
        Type = type;
        DotType = dotType;
        BlockSize = info.BlockSize;
        BlockBytes = info.BlockBytes;
        _dotBlockBytes = dot.BlockBytes;
    }

    public GgmlType Type { get; }

    public int BlockSize { get; }

    public int BlockBytes { get; }

    public GgmlType DotType { get; }

    public void Dequantize(ReadOnlySpan<byte> blocks, Span<float> destination)
    {
        int n = QuantArgs.Blocks(Type, BlockSize, destination.Length, nameof(destination));
        QuantArgs.Bytes(Type, n, BlockBytes, blocks.Length, nameof(blocks));
        for (int b = 0; b < n; b++)
        {
            DequantizeBlock(blocks.Slice(b * BlockBytes, BlockBytes), destination.Slice(b * BlockSize, BlockSize));
        }
    }

    public void Quantize(ReadOnlySpan<float> source, Span<byte> destination)
    {
        int n = QuantArgs.Blocks(Type, BlockSize, source.Length, nameof(source));
        QuantArgs.Bytes(Type, n, BlockBytes, destination.Length, nameof(destination));
        for (int b = 0; b < n; b++)
        {
            QuantizeBlock(source.Slice(b * BlockSize, BlockSize), destination.Slice(b * BlockBytes, BlockBytes));
        }
    }

    public float Dot(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations, int count)
    {
        int n = QuantArgs.Blocks(Type, BlockSize, count, nameof(count));
        QuantArgs.Bytes(Type, n, BlockBytes, weights.Length, nameof(weights));
        QuantArgs.Bytes(DotType, n, _dotBlockBytes, activations.Length, nameof(activations));
        float sum = 0;
        for (int b = 0; b < n; b++)
        {
            sum += DotBlock(weights.Slice(b * BlockBytes, BlockBytes), activations.Slice(b * _dotBlockBytes, _dotBlockBytes));
        }
        return sum;
    }

    public override string ToString() => Type.ToString();

    /// <summary>Decodes one block into <see cref="BlockSize"/> floats.</summary>
    protected abstract void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y);

    /// <summary>Encodes <see cref="BlockSize"/> floats into one block.</summary>
    protected abstract void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block);

    /// <summary>The dot product of one weight block with one activation block of <see cref="DotType"/>.</summary>
    protected abstract float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations);
}
