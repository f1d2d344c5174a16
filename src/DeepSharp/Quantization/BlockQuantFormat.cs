using System.Runtime.InteropServices;
using DeepSharp.Quantization.Kernels;

namespace DeepSharp.Quantization;

/// <summary>
/// The row loops and argument checks shared by the block formats; a format supplies the work on one block (the
/// scalar reference) and, where it has them, SIMD tile kernels per <see cref="KernelPath"/>.
/// </summary>
internal abstract class BlockQuantFormat : IPathFormat
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

    public void Quantize(ReadOnlySpan<float> source, Span<byte> destination) => Quantize(KernelPaths.Active, source, destination);

    /// <summary>
    /// <see cref="Quantize(ReadOnlySpan{float}, Span{byte})"/> on a given path. Only the activation formats have
    /// SIMD quantizers, and those write the same bytes as the scalar reference on every path.
    /// </summary>
    public void Quantize(KernelPath path, ReadOnlySpan<float> source, Span<byte> destination)
    {
        int n = QuantArgs.Blocks(Type, BlockSize, source.Length, nameof(source));
        QuantArgs.Bytes(Type, n, BlockBytes, destination.Length, nameof(destination));
        if (path != KernelPath.Scalar && !KernelPaths.IsSupported(path))
        {
            throw new NotSupportedException($"kernel path {path} is not supported on this processor");
        }
        for (int b = 0; b < n; b++)
        {
            QuantizeBlock(path, source.Slice(b * BlockSize, BlockSize), destination.Slice(b * BlockBytes, BlockBytes));
        }
    }

    public float Dot(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations, int count) =>
        Dot(KernelPaths.Active, weights, activations, count);

    public void DotRows(ReadOnlySpan<byte> weightRows, int rowBytes, int rowCount, ReadOnlySpan<byte> activations, int count, Span<float> destination) =>
        DotRows(KernelPaths.Active, weightRows, rowBytes, rowCount, activations, count, destination);

    public void DotTile(
        ReadOnlySpan<byte> weightRows, int rowBytes, int rowCount, ReadOnlySpan<byte> activations, int activationCount, int count,
        Span<float> destination, int destinationStride) =>
        DotTile(KernelPaths.Active, weightRows, rowBytes, rowCount, activations, activationCount, count, destination, destinationStride);

    /// <summary><see cref="Dot(ReadOnlySpan{byte}, ReadOnlySpan{byte}, int)"/> on a given path.</summary>
    public float Dot(KernelPath path, ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations, int count)
    {
        int n = QuantArgs.Blocks(Type, BlockSize, count, nameof(count));
        QuantArgs.Bytes(Type, n, BlockBytes, weights.Length, nameof(weights));
        QuantArgs.Bytes(DotType, n, _dotBlockBytes, activations.Length, nameof(activations));
        float result = 0;
        Tile(path, weights, n * BlockBytes, 1, activations, 1, n, new Span<float>(ref result), 1);
        return result;
    }

    /// <summary><see cref="DotRows(ReadOnlySpan{byte}, int, int, ReadOnlySpan{byte}, int, Span{float})"/> on a given path.</summary>
    public void DotRows(KernelPath path, ReadOnlySpan<byte> weightRows, int rowBytes, int rowCount, ReadOnlySpan<byte> activations, int count, Span<float> destination)
    {
        if (rowCount >= 0)
        {
            QuantArgs.Elements(Type, rowCount, destination.Length, nameof(destination));
        }
        DotTile(path, weightRows, rowBytes, rowCount, activations, 1, count, destination, rowCount);
    }

    /// <summary><see cref="DotTile(ReadOnlySpan{byte}, int, int, ReadOnlySpan{byte}, int, int, Span{float}, int)"/> on a given path.</summary>
    public void DotTile(
        KernelPath path, ReadOnlySpan<byte> weightRows, int rowBytes, int rowCount, ReadOnlySpan<byte> activations, int activationCount, int count,
        Span<float> destination, int destinationStride)
    {
        int n = QuantArgs.Blocks(Type, BlockSize, count, nameof(count));
        QuantArgs.Tile(Type, n, BlockBytes, _dotBlockBytes, weightRows.Length, rowBytes, rowCount,
            activations.Length, activationCount, destination.Length, destinationStride);
        Tile(path, weightRows, rowBytes, rowCount, activations, activationCount, n, destination, destinationStride);
    }

    public override string ToString() => Type.ToString();

    /// <summary>Decodes one block into <see cref="BlockSize"/> floats.</summary>
    protected abstract void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y);

    /// <summary>Encodes <see cref="BlockSize"/> floats into one block: the reference quantizer.</summary>
    protected abstract void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block);

    /// <summary>Encodes one block on <paramref name="path"/>; formats with a SIMD quantizer override this.</summary>
    protected virtual void QuantizeBlock(KernelPath path, ReadOnlySpan<float> x, Span<byte> block) => QuantizeBlock(x, block);

    /// <summary>The dot product of one weight block with one activation block of <see cref="DotType"/>: the scalar reference.</summary>
    protected abstract float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations);

    /// <summary>
    /// This format's SIMD tile kernel on <paramref name="path"/>, or null where it has none and the scalar
    /// reference runs instead. Only asked for supported paths other than <see cref="KernelPath.Scalar"/>.
    /// </summary>
    private protected virtual TileKernel? SimdKernel(KernelPath path) => null;

    /// <summary>The tile after the checks: the SIMD kernel of the path, or the scalar reference block by block.</summary>
    private void Tile(
        KernelPath path, ReadOnlySpan<byte> weightRows, int rowBytes, int rowCount, ReadOnlySpan<byte> activations, int activationCount, int blocks,
        Span<float> destination, int destinationStride)
    {
        if (rowCount == 0 || activationCount == 0)
        {
            return;
        }
        if (path != KernelPath.Scalar && !KernelPaths.IsSupported(path))
        {
            throw new NotSupportedException($"kernel path {path} is not supported on this processor");
        }
        var kernel = path == KernelPath.Scalar ? null : SimdKernel(path);
        int activationBytes = blocks * _dotBlockBytes;
        if (kernel is not null)
        {
            kernel(ref MemoryMarshal.GetReference(weightRows), rowBytes, rowCount, ref MemoryMarshal.GetReference(activations), activationBytes,
                activationCount, blocks, ref MemoryMarshal.GetReference(destination), destinationStride);
            return;
        }
        for (int r = 0; r < rowCount; r++)
        {
            var row = weightRows.Slice(r * rowBytes, blocks * BlockBytes);
            for (int t = 0; t < activationCount; t++)
            {
                destination[t * destinationStride + r] = DotScalar(row, activations.Slice(t * activationBytes, activationBytes), blocks);
            }
        }
    }

    /// <summary>The scalar reference for one row: block sums added in block order.</summary>
    private float DotScalar(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations, int blocks)
    {
        float sum = 0;
        for (int b = 0; b < blocks; b++)
        {
            sum += DotBlock(weights.Slice(b * BlockBytes, BlockBytes), activations.Slice(b * _dotBlockBytes, _dotBlockBytes));
        }
        return sum;
    }
}
