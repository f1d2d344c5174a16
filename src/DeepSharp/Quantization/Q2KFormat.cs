namespace DeepSharp.Quantization;

/// <summary>
/// Q2_K: 256 elements as <c>u8 scales[16]; u8 qs[64]; half d; half dmin</c>. Sixteen sub-blocks of 16 consecutive
/// elements; scales byte k holds the 4-bit scale (low nibble) and 4-bit minimum (high nibble) of sub-block k.
/// Element <c>128h + 32j + l</c> (h = 0..1, j = 0..3, l = 0..31) is bits 2j..2j+1 of <c>qs[32h + l]</c>;
/// <c>y = (d·sc)·q − dmin·m</c>. Dotted with Q8_K activations.
/// </summary>
internal sealed class Q2KFormat : BlockQuantFormat
{
    private const int Qs = 16;
    private const int D = 80;
    private const int DMin = 82;

    private Q2KFormat()
        : base(GgmlType.Q2_K, GgmlType.Q8_K)
    {
    }

    public static Q2KFormat Instance { get; } = new();

    protected override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Fp16.Read(block, D);
        float dmin = Fp16.Read(block, DMin);
        for (int k = 0; k < 16; k++)
        {
            int sc = block[k];
            float dl = d * (sc & 0xF);
            float ml = dmin * (sc >> 4);
            for (int e = 16 * k; e < 16 * k + 16; e++)
            {
                y[e] = dl * Code(block, e) - ml;
            }
        }
    }

    /// <summary>Per sub-block least-squares (scale, min) for codes 0..3, both stored as 4-bit multiples of d/dmin.</summary>
    protected override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        Span<byte> sc = stackalloc byte[16];
        Span<byte> m = stackalloc byte[16];
        SuperBlockScales.Affine(x, 16, 3, 15, sc, m, out var d, out var dmin);
        block.Slice(Qs, 64).Clear();
        for (int k = 0; k < 16; k++)
        {
            block[k] = (byte)(sc[k] | (m[k] << 4));
            float dl = (float)d * sc[k];
            float ml = (float)dmin * m[k];
            float inv = dl > 0 ? 1 / dl : 0;
            for (int e = 16 * k; e < 16 * k + 16; e++)
            {
                int q = ScaleSearch.AffineCode((x[e] + ml) * inv, 3);
                block[Qs + 32 * (e >> 7) + (e & 31)] |= (byte)(q << (2 * ((e >> 5) & 3)));
            }
        }
        Fp16.Write(block, D, d);
        Fp16.Write(block, DMin, dmin);
    }

    protected override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        var qa = Q8KFormat.Codes(activations);
        int isum = 0, msum = 0;
        for (int k = 0; k < 16; k++)
        {
            int sc = weights[k];
            int sum = 0;
            for (int e = 16 * k; e < 16 * k + 16; e++)
            {
                sum += Code(weights, e) * qa[e];
            }
            isum += (sc & 0xF) * sum;
            msum += (sc >> 4) * Q8KFormat.GroupSum(activations, k);
        }
        float da = Q8KFormat.Scale(activations);
        return da * Fp16.Read(weights, D) * isum - da * Fp16.Read(weights, DMin) * msum;
    }

    // The 2-bit code of element e: byte 32h + l, bit pair j, for e = 128h + 32j + l.
    private static int Code(ReadOnlySpan<byte> block, int e) =>
        (block[Qs + 32 * (e >> 7) + (e & 31)] >> (2 * ((e >> 5) & 3))) & 3;
}
