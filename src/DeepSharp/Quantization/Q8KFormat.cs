using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace DeepSharp.Quantization;

/// <summary>
/// Q8_K: 256 elements as <c>f32 d; i8 qs[256]; i16 bsums[16]</c> (bsums[k] = sum of codes 16k..16k+15),
/// <c>y = d·q</c>. The activation format of the K-quants and IQ4_XS; the quantizer is llama.cpp's reference
/// one, byte for byte. Its dot product pairs it with itself, which llama.cpp never does, for completeness.
/// </summary>
internal sealed class Q8KFormat : BlockQuantFormat
{
    internal const int CodesOffset = 4;
    internal const int SumsOffset = 260;

    private Q8KFormat()
        : base(GgmlType.Q8_K, GgmlType.Q8_K)
    {
    }

    public static Q8KFormat Instance { get; } = new();

    /// <summary>The block scale (a float, which may be negative).</summary>
    internal static float Scale(ReadOnlySpan<byte> block) => BinaryPrimitives.ReadSingleLittleEndian(block);

    /// <summary>The 256 codes.</summary>
    internal static ReadOnlySpan<sbyte> Codes(ReadOnlySpan<byte> block) =>
        MemoryMarshal.Cast<byte, sbyte>(block.Slice(CodesOffset, 256));

    /// <summary>The sum of the codes of 16-element group <paramref name="k"/>.</summary>
    internal static int GroupSum(ReadOnlySpan<byte> block, int k) =>
        BinaryPrimitives.ReadInt16LittleEndian(block.Slice(SumsOffset + 2 * k, 2));

    protected override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Scale(block);
        var qs = Codes(block);
        for (int j = 0; j < 256; j++)
        {
            y[j] = d * qs[j];
        }
    }

    /// <summary>
    /// The element of largest magnitude maps to −127 (so <c>d</c> has the opposite sign of that element); codes
    /// round to nearest with ties to even and are capped at 127. An all-zero block gets d = 0 and zero codes.
    /// </summary>
    protected override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        float max = 0, amax = 0;
        foreach (float v in x)
        {
            float a = MathF.Abs(v);
            if (a > amax)
            {
                amax = a;
                max = v;
            }
        }
        if (amax == 0)
        {
            block.Clear();
            return;
        }
        float iscale = -127f / max;
        for (int g = 0; g < 16; g++)
        {
            int sum = 0;
            for (int j = 16 * g; j < 16 * g + 16; j++)
            {
                int q = Math.Min(127, (int)MathF.Round(iscale * x[j], MidpointRounding.ToEven));
                block[CodesOffset + j] = (byte)(sbyte)q;
                sum += q;
            }
            BinaryPrimitives.WriteInt16LittleEndian(block.Slice(SumsOffset + 2 * g, 2), (short)sum);
        }
        BinaryPrimitives.WriteSingleLittleEndian(block, 1 / iscale);
    }

    protected override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        var qw = Codes(weights);
        var qa = Codes(activations);
        int sum = 0;
        for (int j = 0; j < 256; j++)
        {
            sum += qw[j] * qa[j];
        }
        return Scale(weights) * Scale(activations) * sum;
    }
}
