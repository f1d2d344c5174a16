namespace DeepSharp.Quantization;

/// <summary>
/// Q4_1: 32 elements as <c>half d; half m; u8 qs[16]</c>, nibble order as Q4_0, <c>y = q·d + m</c>.
/// Dotted with Q8_1 activations, whose stored sum carries the <c>m</c> term.
/// </summary>
internal sealed class Q4_1Format : BlockQuantFormat
{
    private Q4_1Format()
        : base(GgmlType.Q4_1, GgmlType.Q8_1)
    {
    }

    public static Q4_1Format Instance { get; } = new();

    protected override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Fp16.Read(block, 0);
        float m = Fp16.Read(block, 2);
        var qs = block.Slice(4, 16);
        for (int j = 0; j < 16; j++)
        {
            y[j] = (qs[j] & 0xF) * d + m;
            y[j + 16] = (qs[j] >> 4) * d + m;
        }
    }

    /// <summary>A least-squares (scale, offset) for codes 0..15 (see <see cref="ScaleSearch.FitAffine"/>), then nearest codes.</summary>
    protected override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        ScaleSearch.FitAffine(x, 15, offsetAtMostZero: false, out float scale, out float offset);
        var d = (Half)scale;
        var m = (Half)offset;
        Fp16.Write(block, 0, d);
        Fp16.Write(block, 2, m);
        float id = (float)d != 0 ? 1 / (float)d : 0;
        for (int j = 0; j < 16; j++)
        {
            int lo = ScaleSearch.AffineCode((x[j] - (float)m) * id, 15);
            int hi = ScaleSearch.AffineCode((x[j + 16] - (float)m) * id, 15);
            block[4 + j] = (byte)(lo | (hi << 4));
        }
    }

    protected override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        var qs = weights.Slice(4, 16);
        var qa = Q8_0Format.Codes(activations, 4);
        int sum = 0;
        for (int j = 0; j < 16; j++)
        {
            sum += (qs[j] & 0xF) * qa[j] + (qs[j] >> 4) * qa[j + 16];
        }
        return Fp16.Read(weights, 0) * Fp16.Read(activations, 0) * sum + Fp16.Read(weights, 2) * Fp16.Read(activations, 2);
    }
}
