namespace DeepSharp.Quantization;

/// <summary>
/// Q4_0: 32 elements as <c>half d; u8 qs[16]</c>; low nibbles are elements 0..15, high nibbles 16..31,
/// <c>y = (q − 8)·d</c>. Dotted with Q8_0 activations.
/// </summary>
internal sealed class Q4_0Format : BlockQuantFormat
{
    private Q4_0Format()
        : base(GgmlType.Q4_0, GgmlType.Q8_0)
    {
    }

    public static Q4_0Format Instance { get; } = new();

    protected override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Fp16.Read(block, 0);
        var qs = block.Slice(2, 16);
        for (int j = 0; j < 16; j++)
        {
            y[j] = ((qs[j] & 0xF) - 8) * d;
            y[j + 16] = ((qs[j] >> 4) - 8) * d;
        }
    }

    /// <summary>A least-squares scale for codes −8..7 (see <see cref="ScaleSearch.FitSigned"/>), then nearest codes.</summary>
    protected override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        var d = (Half)ScaleSearch.FitSigned(x, -8, 7);
        Fp16.Write(block, 0, d);
        float id = (float)d != 0 ? 1 / (float)d : 0;
        for (int j = 0; j < 16; j++)
        {
            int lo = ScaleSearch.SignedCode(x[j] * id, -8, 7) + 8;
            int hi = ScaleSearch.SignedCode(x[j + 16] * id, -8, 7) + 8;
            block[2 + j] = (byte)(lo | (hi << 4));
        }
    }

    protected override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        var qs = weights.Slice(2, 16);
        var qa = Q8_0Format.Codes(activations, 2);
        int sum = 0;
        for (int j = 0; j < 16; j++)
        {
            sum += ((qs[j] & 0xF) - 8) * qa[j] + ((qs[j] >> 4) - 8) * qa[j + 16];
        }
        return sum * Fp16.Read(weights, 0) * Fp16.Read(activations, 0);
    }
}
