namespace DeepSharp.Quantization;

/// <summary>
/// IQ4_NL: 32 elements as <c>half d; u8 qs[16]</c>, nibble order as Q4_0, each nibble indexing the non-linear
/// codebook (<see cref="Iq4Codebook"/>): <c>y = d·kv[q]</c>. Dotted with Q8_0 activations.
/// </summary>
internal sealed class IQ4NLFormat : BlockQuantFormat
{
    private IQ4NLFormat()
        : base(GgmlType.IQ4_NL, GgmlType.Q8_0)
    {
    }

    public static IQ4NLFormat Instance { get; } = new();

    protected override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Fp16.Read(block, 0);
        var qs = block.Slice(2, 16);
        var kv = Iq4Codebook.Values;
        for (int j = 0; j < 16; j++)
        {
            y[j] = d * kv[qs[j] & 0xF];
            y[j + 16] = d * kv[qs[j] >> 4];
        }
    }

    /// <summary>A least-squares codebook scale (see <see cref="ScaleSearch.FitCodebook"/>), then nearest levels.</summary>
    protected override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        var d = (Half)ScaleSearch.FitCodebook(x);
        Fp16.Write(block, 0, d);
        float id = (float)d != 0 ? 1 / (float)d : 0;
        for (int j = 0; j < 16; j++)
        {
            block[2 + j] = (byte)(Iq4Codebook.Nearest(x[j] * id) | (Iq4Codebook.Nearest(x[j + 16] * id) << 4));
        }
    }

    protected override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        var qs = weights.Slice(2, 16);
        var qa = Q8_0Format.Codes(activations, 2);
        var kv = Iq4Codebook.Values;
        int sum = 0;
        for (int j = 0; j < 16; j++)
        {
            sum += kv[qs[j] & 0xF] * qa[j] + kv[qs[j] >> 4] * qa[j + 16];
        }
        return Fp16.Read(weights, 0) * Fp16.Read(activations, 0) * sum;
    }
}
