using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using DeepSharp.Quantization;

namespace DeepSharp.Compute;

/// <summary>F32 weights with F32 activations.</summary>
internal sealed class F32RowKernel : RowKernel
{
    public static F32RowKernel Instance { get; } = new();

    public override GgmlType PreparedType => GgmlType.F32;

    public override int PreparedBytes(int columns) => columns * sizeof(float);

    public override void Prepare(ReadOnlySpan<float> x, Span<byte> prepared) => x.CopyTo(MemoryMarshal.Cast<byte, float>(prepared));

    public override float Dot(ReadOnlySpan<byte> weightRow, ReadOnlySpan<byte> prepared, int columns) =>
        TensorPrimitives.Dot(MemoryMarshal.Cast<byte, float>(weightRow), MemoryMarshal.Cast<byte, float>(prepared));

    public override void Dequantize(ReadOnlySpan<byte> weightRow, Span<float> destination) =>
        MemoryMarshal.Cast<byte, float>(weightRow).CopyTo(destination);
}
