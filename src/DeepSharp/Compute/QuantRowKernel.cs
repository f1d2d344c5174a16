using DeepSharp.Quantization;

namespace DeepSharp.Compute;

/// <summary>
/// Block-quantized weights: the activation row is quantized once into the format's dot type (Q8_0, Q8_1 or Q8_K,
/// as llama.cpp's <c>vec_dot_type</c>, rounded as its x86 build rounds them: <see cref="QuantFormats.QuantizeActivations"/>)
/// and the weight rows meet it in the format's integer tile kernels.
/// </summary>
internal sealed unsafe class QuantRowKernel(IQuantFormat format) : RowKernel
{
    public override GgmlType PreparedType => format.DotType;

    public override int PreparedBytes(int columns) => format.ActivationBytes(columns);

    public override void Prepare(ReadOnlySpan<float> x, Span<byte> prepared) => format.QuantizeActivations(x, prepared);

    public override float Dot(ReadOnlySpan<byte> weightRow, ReadOnlySpan<byte> prepared, int columns) => format.Dot(weightRow, prepared, columns);

    public override void Tile(
        byte* weights, long rowBytes, int rowCount, byte* prepared, int preparedBytes, int activationCount, int columns,
        float* destination, int destinationStride)
    {
        long weightBytes = (rowCount - 1) * rowBytes + format.RowBytes(columns);
        int results = (activationCount - 1) * destinationStride + rowCount;
        format.DotTile(
            new ReadOnlySpan<byte>(weights, checked((int)weightBytes)), checked((int)rowBytes), rowCount,
            new ReadOnlySpan<byte>(prepared, preparedBytes * activationCount), activationCount, columns,
            new Span<float>(destination, results), destinationStride);
    }

    public override void Dequantize(ReadOnlySpan<byte> weightRow, Span<float> destination) => format.Dequantize(weightRow, destination);
}
