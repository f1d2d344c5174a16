using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace DeepSharp.Compute;

/// <summary>
/// A 16-bit float weight type: llama.cpp rounds the activation to the same type and accumulates in F32. The
/// prepared row holds the rounded activation widened back to F32; each weight row is widened into a per-thread
/// buffer before the dot product.
/// </summary>
internal abstract class WideningRowKernel : RowKernel
{
    public sealed override int PreparedBytes(int columns) => columns * sizeof(float);

    public sealed override void Prepare(ReadOnlySpan<float> x, Span<byte> prepared)
    {
        var p = MemoryMarshal.Cast<byte, float>(prepared);
        for (int i = 0; i < x.Length; i++)
        {
            p[i] = RoundActivation(x[i]);
        }
    }

    public sealed override float Dot(ReadOnlySpan<byte> weightRow, ReadOnlySpan<byte> prepared, int columns)
    {
        var row = ScratchRow(columns);
        Dequantize(weightRow, row);
        return TensorPrimitives.Dot(row, MemoryMarshal.Cast<byte, float>(prepared));
    }

    /// <summary><paramref name="x"/> rounded to the weight type and widened back.</summary>
    protected abstract float RoundActivation(float x);
}
