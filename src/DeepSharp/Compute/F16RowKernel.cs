using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using DeepSharp.Quantization;

namespace DeepSharp.Compute;

/// <summary>F16 weights with F16-rounded activations.</summary>
internal sealed class F16RowKernel : WideningRowKernel
{
    public static F16RowKernel Instance { get; } = new();

    public override void Dequantize(ReadOnlySpan<byte> weightRow, Span<float> destination) =>
        TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(weightRow), destination);

    public override GgmlType PreparedType => GgmlType.F16;

    protected override float RoundActivation(float x) => (float)(Half)x;
}
