using System.Buffers.Binary;

namespace DeepSharp.Compute;

/// <summary>
/// Converts activation rows to Q8_0 blocks the way llama.cpp's x86 CPU backend does before a quantized product
/// (its AVX <c>quantize_row_q8_0</c>): <c>d = max|x| / 127</c> stored as F16, codes <c>round(x · (127 / max|x|))</c>
/// with ties to even. The reference quantizer multiplies by <c>1 / d</c> and rounds ties away from zero, which
/// now and then gives a code one step off, and a single such code can tip a MoE router's choice: on the Q8_0
/// V3-like fixture the RMS logit distance to llama.cpp is 0.027 with this conversion and 0.13 with the reference one.
/// </summary>
internal static class Q8ActivationRows
{
    private const int BlockSize = 32;
    private const int BlockBytes = 34;

    public static void Quantize(ReadOnlySpan<float> x, Span<byte> blocks)
    {
        if (x.Length % BlockSize != 0 || blocks.Length != x.Length / BlockSize * BlockBytes)
        {
            throw new ArgumentException($"Q8_0 activations: {x.Length} values do not fill {blocks.Length} bytes of blocks");
        }
        for (int b = 0; b < x.Length / BlockSize; b++)
        {
            var values = x.Slice(b * BlockSize, BlockSize);
            var block = blocks.Slice(b * BlockBytes, BlockBytes);
            float max = 0;
            foreach (float v in values)
            {
                max = MathF.Max(max, MathF.Abs(v));
            }
            BinaryPrimitives.WriteHalfLittleEndian(block, (Half)(max / 127f));
            float inverse = max != 0 ? 127f / max : 0;
            for (int j = 0; j < BlockSize; j++)
            {
                block[2 + j] = (byte)(sbyte)MathF.Round(values[j] * inverse, MidpointRounding.ToEven);
            }
        }
    }
}
