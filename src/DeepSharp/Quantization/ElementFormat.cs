using System.Buffers;
using System.Numerics.Tensors;

namespace DeepSharp.Quantization;

/// <summary>
/// The row loops and argument checks shared by the plain float formats (F32, F16, BF16), whose "blocks" are
/// single elements dotted with activations of the same type. The scalar reference sums every product in double,
/// as llama.cpp's scalar path does; the SIMD paths widen each row to floats once (activation rows once per tile)
/// and use <see cref="TensorPrimitives.Dot(ReadOnlySpan{float}, ReadOnlySpan{float})"/>, which sums in float
/// lanes and so differs by float rounding. <c>TensorPrimitives</c> picks its own vector width.
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
        float result = 0;
        DotTile(path, weights, weights.Length, 1, activations, 1, count, new Span<float>(ref result), 1);
        return result;
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
        if (rowCount == 0 || activationCount == 0)
        {
            return;
        }
        int bytes = count * BlockBytes;
        if (path == KernelPath.Scalar)
        {
            for (int r = 0; r < rowCount; r++)
            {
                var row = weightRows.Slice(r * rowBytes, bytes);
                for (int t = 0; t < activationCount; t++)
                {
                    destination[t * destinationStride + r] = DotScalar(row, activations.Slice(t * bytes, bytes));
                }
            }
            return;
        }
        // SIMD: every activation row widened once, each weight row once, then float dots.
        float[] rented = ArrayPool<float>.Shared.Rent((activationCount + 1) * count);
        try
        {
            var widened = rented.AsSpan(0, (activationCount + 1) * count);
            for (int t = 0; t < activationCount; t++)
            {
                Widen(activations.Slice(t * bytes, bytes), widened.Slice((t + 1) * count, count));
            }
            var row = widened[..count];
            for (int r = 0; r < rowCount; r++)
            {
                Widen(weightRows.Slice(r * rowBytes, bytes), row);
                for (int t = 0; t < activationCount; t++)
                {
                    destination[t * destinationStride + r] = TensorPrimitives.Dot(row, widened.Slice((t + 1) * count, count));
                }
            }
        }
        finally
        {
            ArrayPool<float>.Shared.Return(rented);
        }
    }

    /// <summary>The float formats have no SIMD quantizer: every path runs <see cref="Quantize(ReadOnlySpan{float}, Span{byte})"/>.</summary>
    public void Quantize(KernelPath path, ReadOnlySpan<float> source, Span<byte> destination) => Quantize(source, destination);

    public override string ToString() => Type.ToString();

    /// <summary>The scalar reference: the dot product of two rows of equal length, summed in double.</summary>
    protected abstract float DotScalar(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations);

    /// <summary>Widens a row of elements to floats with SIMD.</summary>
    protected abstract void Widen(ReadOnlySpan<byte> elements, Span<float> destination);

    private static KernelPath CheckPath(KernelPath path) =>
        KernelPaths.IsSupported(path) ? path : throw new NotSupportedException($"kernel path {path} is not supported on this processor");
}
