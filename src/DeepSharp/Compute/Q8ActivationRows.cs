using System.Buffers.Binary;
using DeepSharp.Quantization;

namespace DeepSharp.Compute;

/// <summary>
/// Converts activation rows to Q8_0 or Q8_1 blocks as llama.cpp's x86 CPU backend does before a quantized product
/// (its AVX <c>quantize_row_q8_0</c>/<c>_q8_1</c>): <c>d = max|x| / 127</c> stored as F16, codes
/// <c>round(x · (127 / max|x|))</c> with ties to even; Q8_1 also stores <c>s = d · Σq</c>. The reference quantizer
/// multiplies by <c>1 / d</c> and rounds ties away from zero, which gives other codes on ties and now and then
/// next to them; one such code can tip a MoE router's choice.
/// </summary>
internal static class Q8ActivationRows
{
    private const int BlockSize = 32;

    /// <summary>True for the activation types this class converts (the others use their format's quantizer).</summary>
    public static bool Handles(GgmlType dotType) => dotType is GgmlType.Q8_0 or GgmlType.Q8_1;

    /// <summary>Converts <paramref name="x"/> to blocks of <paramref name="dotType"/> (Q8_0: 34 bytes each, Q8_1: 36).</summary>
    public static void Quantize(GgmlType dotType, ReadOnlySpan<float> x, Span<byte> blocks)
    {
        int header = dotType == GgmlType.Q8_1 ? 4 : 2;
        int blockBytes = header + BlockSize;
        if (!Handles(dotType) || x.Length % BlockSize != 0 || blocks.Length != x.Length / BlockSize * blockBytes)
        {
            throw new ArgumentException($"{dotType} activations: {x.Length} values do not fill {blocks.Length} bytes of blocks");
        }
        for (int b = 0; b < x.Length / BlockSize; b++)
        {
            var values = x.Slice(b * BlockSize, BlockSize);
            var block = blocks.Slice(b * blockBytes, blockBytes);
            float max = 0;
            foreach (float v in values)
            {
                max = MathF.Max(max, MathF.Abs(v));
            }
            float d = max / 127f;
            float inverse = max != 0 ? 127f / max : 0;
            int sum = 0;
            for (int j = 0; j < BlockSize; j++)
            {
                int q = (int)MathF.Round(values[j] * inverse, MidpointRounding.ToEven);
                block[header + j] = (byte)(sbyte)q;
                sum += q;
            }
            BinaryPrimitives.WriteHalfLittleEndian(block, (Half)d);
            if (header == 4)
            {
                BinaryPrimitives.WriteHalfLittleEndian(block[2..], (Half)(d * sum));
            }
        }
    }
}
