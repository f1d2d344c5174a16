using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace DeepSharp.Compute;

/// <summary>
/// F16 weights. llama.cpp rounds the activation to F16 and accumulates in F32; the prepared row holds the
/// F16-rounded activation widened back to F32, and each weight row is widened into a per-thread buffer.
/// </summary>
internal sealed class F16RowKernel : RowKernel
{
    public static F16RowKernel Instance { get; } = new();

    public override int PreparedBytes(int columns) => columns * sizeof(float);

    public override void Prepare(ReadOnlySpan<float> x, Span<byte> prepared)
    {
        var p = MemoryMarshal.Cast<byte, float>(prepared);
        for (int i = 0; i < x.Length; i++)
        {
            p[i] = (float)(Half)x[i];
        }
    }

    public override float Dot(ReadOnlySpan<byte> weightRow, ReadOnlySpan<byte> prepared, int columns)
    {
        var row = ScratchRow(columns);
        Dequantize(weightRow, row);
        return TensorPrimitives.Dot(row, MemoryMarshal.Cast<byte, float>(prepared));
    }

    public override void Dequantize(ReadOnlySpan<byte> weightRow, Span<float> destination) =>
        TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(weightRow), destination);
}
