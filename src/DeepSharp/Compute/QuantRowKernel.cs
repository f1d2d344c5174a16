using DeepSharp.Quantization;

namespace DeepSharp.Compute;

/// <summary>
/// Weights in a block-quantized format (Q8_0, Q4_K, ...): activations are converted once to the format's dot type
/// (Q8_0, Q8_1 or Q8_K, as llama.cpp's CPU backend does) and each weight row is dotted with them block by block.
/// </summary>
internal sealed class QuantRowKernel(IQuantFormat format) : RowKernel
{
    public override int PreparedBytes(int columns) => format.ActivationBytes(columns);

    public override void Prepare(ReadOnlySpan<float> x, Span<byte> prepared)
    {
        if (format.DotType == GgmlType.Q8_0)
        {
            Q8ActivationRows.Quantize(x, prepared);
        }
        else
        {
            format.QuantizeActivations(x, prepared);
        }
    }

    public override float Dot(ReadOnlySpan<byte> weightRow, ReadOnlySpan<byte> prepared, int columns) => format.Dot(weightRow, prepared, columns);

    public override void Dequantize(ReadOnlySpan<byte> weightRow, Span<float> destination) => format.Dequantize(weightRow, destination);
}
