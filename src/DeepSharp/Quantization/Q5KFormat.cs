namespace DeepSharp.Quantization;

/// <summary>
/// Q5_K: 256 elements as <c>half d; half dmin; u8 scales[12]; u8 qh[32]; u8 qs[128]</c>. As Q4_K, plus a fifth
/// bit: element <c>32k + l</c> (sub-block k) adds 16 when bit k of <c>qh[l]</c> is set.
/// <c>y = (d·sc)·q − dmin·m</c> with q in 0..31. Dotted with Q8_K activations.
/// </summary>
internal sealed class Q5KFormat : BlockQuantFormat
{
    private const int Scales = 4;
    private const int Qh = 16;
    private const int Qs = 48;

    private Q5KFormat()
        : base(GgmlType.Q5_K, GgmlType.Q8_K)
    {
    }

    public static Q5KFormat Instance { get; } = new();

    protected override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Fp16.Read(block, 0);
        float dmin = Fp16.Read(block, 2);
        var scales = block.Slice(Scales, 12);
        for (int k = 0; k < 8; k++)
        {
            var (sc, m) = Q4KScales.Get(scales, k);
            float dl = d * sc;
            float ml = dmin * m;
            for (int e = 32 * k; e < 32 * k + 32; e++)
            {
                y[e] = dl * Code(block, e) - ml;
            }
        }
    }

    /// <summary>Per sub-block least-squares (scale, min) for codes 0..31, both stored as 6-bit multiples of d/dmin.</summary>
    protected override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        Span<byte> sc = stackalloc byte[8];
        Span<byte> m = stackalloc byte[8];
        SuperBlockScales.Affine(x, 32, 31, 63, sc, m, out var d, out var dmin);
        block.Clear();
        Fp16.Write(block, 0, d);
        Fp16.Write(block, 2, dmin);
        Q4KScales.Set(block.Slice(Scales, 12), sc, m);
        for (int k = 0; k < 8; k++)
        {
            float dl = (float)d * sc[k];
            float ml = (float)dmin * m[k];
            float inv = dl > 0 ? 1 / dl : 0;
            for (int l = 0; l < 32; l++)
            {
                int q = ScaleSearch.AffineCode((x[32 * k + l] + ml) * inv, 31);
                block[Qs + 32 * (k >> 1) + l] |= (byte)((q & 0xF) << (4 * (k & 1)));
                block[Qh + l] |= (byte)((q >> 4) << k);
            }
        }
    }

    protected override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        var qa = Q8KFormat.Codes(activations);
        var scales = weights.Slice(Scales, 12);
        int isum = 0, msum = 0;
        for (int k = 0; k < 8; k++)
        {
            var (sc, m) = Q4KScales.Get(scales, k);
            int sum = 0;
            for (int e = 32 * k; e < 32 * k + 32; e++)
            {
                sum += Code(weights, e) * qa[e];
            }
            isum += sc * sum;
            msum += m * (Q8KFormat.GroupSum(activations, 2 * k) + Q8KFormat.GroupSum(activations, 2 * k + 1));
        }
        float da = Q8KFormat.Scale(activations);
        return Fp16.Read(weights, 0) * da * isum - Fp16.Read(weights, 2) * da * msum;
    }

    // Nibble as in Q4_K, plus bit k of qh[l] for element e = 32k + l.
    private static int Code(ReadOnlySpan<byte> block, int e)
    {
        int k = e >> 5, l = e & 31;
        int low = (block[Qs + 32 * (k >> 1) + l] >> (4 * (k & 1))) & 0xF;
        return low | (((block[Qh + l] >> k) & 1) << 4);
    }
}
