namespace DeepSharp.Quantization;

/// <summary>
/// Q4_K: 256 elements as <c>half d; half dmin; u8 scales[12]; u8 qs[128]</c>. Eight sub-blocks of 32 with 6-bit
/// (scale, min) pairs (<see cref="Q4KScales"/>). Chunk c (0..3) uses <c>qs[32c .. 32c + 31]</c>: element
/// <c>64c + l</c> is the low nibble of <c>qs[32c + l]</c> (sub-block 2c), element <c>64c + 32 + l</c> the high
/// nibble (sub-block 2c + 1). <c>y = (d·sc)·q − dmin·m</c>. Dotted with Q8_K activations.
/// </summary>
internal sealed class Q4KFormat : BlockQuantFormat
{
    private const int Scales = 4;
    private const int Qs = 16;

    private Q4KFormat()
        : base(GgmlType.Q4_K, GgmlType.Q8_K)
    {
    }

    public static Q4KFormat Instance { get; } = new();

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

    /// <summary>Per sub-block least-squares (scale, min) for codes 0..15, both stored as 6-bit multiples of d/dmin.</summary>
    protected override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        Span<byte> sc = stackalloc byte[8];
        Span<byte> m = stackalloc byte[8];
        SuperBlockScales.Affine(x, 32, 15, 63, sc, m, out var d, out var dmin);
        Fp16.Write(block, 0, d);
        Fp16.Write(block, 2, dmin);
        Q4KScales.Set(block.Slice(Scales, 12), sc, m);
        for (int k = 0; k < 8; k++)
        {
            float dl = (float)d * sc[k];
            float ml = (float)dmin * m[k];
            float inv = dl > 0 ? 1 / dl : 0;
            int shift = 4 * (k & 1);
            for (int l = 0; l < 32; l++)
            {
                int q = ScaleSearch.AffineCode((x[32 * k + l] + ml) * inv, 15);
                int at = Qs + 32 * (k >> 1) + l;
                block[at] = (byte)((block[at] & (0xF0 >> shift)) | (q << shift));
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

    // The 4-bit code of element e: chunk e/64, byte e mod 32, high nibble for the second half of the chunk.
    private static int Code(ReadOnlySpan<byte> block, int e) =>
        (block[Qs + 32 * (e >> 6) + (e & 31)] >> (4 * ((e >> 5) & 1))) & 0xF;
}
