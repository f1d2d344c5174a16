using DeepSharp.Quantization;

namespace DeepSharp.Compute;

/// <summary>
/// Block-quantized weights: the activation row is quantized once into the format's dot type (Q8_0, Q8_1 or Q8_K,
/// as llama.cpp's <c>vec_dot_type</c>) and each weight row is dotted with it by the format's integer kernel. Q8_0 and
/// Q8_1 activations are rounded as llama.cpp's x86 build rounds them (<see cref="Q8ActivationRows"/>).
/// </summary>
internal sealed class QuantRowKernel(IQuantFormat format) : RowKernel
{
    public override int PreparedBytes(int columns) => format.ActivationBytes(columns);

    public override void Prepare(ReadOnlySpan<float> x, Span<byte> prepared)
    {
        if (Q8ActivationRows.Handles(format.DotType))
        {
            Q8ActivationRows.Quantize(format.DotType, x, prepared);
        }
        else
        {
            format.QuantizeActivations(x, prepared);
        }
    }

    public override float Dot(ReadOnlySpan<byte> weightRow, ReadOnlySpan<byte> prepared, int columns) => format.Dot(weightRow, prepared, columns);

    public override void Dequantize(ReadOnlySpan<byte> weightRow, Span<float> destination) => format.Dequantize(weightRow, destination);
}
