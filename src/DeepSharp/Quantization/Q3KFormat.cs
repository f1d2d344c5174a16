namespace DeepSharp.Quantization;

/// <summary>
/// Q3_K: 256 elements as <c>u8 hmask[32]; u8 qs[64]; u8 scales[12]; half d</c>. Sixteen sub-blocks of 16 with
/// signed 6-bit scales (<see cref="Q3KScales"/>). Element <c>128h + 32j + l</c> has its low two bits at bits
/// 2j..2j+1 of <c>qs[32h + l]</c> and its high bit at bit 4h + j of <c>hmask[l]</c>; the code is
/// <c>low − (high ? 0 : 4)</c> in −4..3 and <c>y = (d·scale)·code</c>. Dotted with Q8_K activations.
/// </summary>
internal sealed class Q3KFormat : BlockQuantFormat
{
    private const int Qs = 32;
    private const int Scales = 96;
    private const int D = 108;

    private Q3KFormat()
        : base(GgmlType.Q3_K, GgmlType.Q8_K)
    {
    }

    public static Q3KFormat Instance { get; } = new();

    protected override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        float d = Fp16.Read(block, D);
        var scales = block.Slice(Scales, 12);
        for (int k = 0; k < 16; k++)
        {
            float dl = d * Q3KScales.Get(scales, k);
            for (int e = 16 * k; e < 16 * k + 16; e++)
            {
                y[e] = dl * Code(block, e);
            }
        }
    }

    /// <summary>Per sub-block least-squares scale for codes −4..3; scales stored as 6-bit multiples of d.</summary>
    protected override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        Span<float> scales = stackalloc float[16];
        Span<int> sc = stackalloc int[16];
        for (int k = 0; k < 16; k++)
        {
            scales[k] = ScaleSearch.FitSigned(x.Slice(16 * k, 16), -4, 3);
        }
        var d = SuperBlockScales.Signed(x, scales, -32, 31, static (sub, s) => ScaleSearch.SignedError(sub, -4, 3, s), sc);
        block.Clear();
        Q3KScales.Set(block.Slice(Scales, 12), sc);
        for (int k = 0; k < 16; k++)
        {
            float dl = (float)d * sc[k];
            float inv = dl != 0 ? 1 / dl : 0;
            for (int e = 16 * k; e < 16 * k + 16; e++)
            {
                int u = ScaleSearch.SignedCode(x[e] * inv, -4, 3) + 4; // 0..7: bit 2 is the hmask bit
                int j = (e >> 5) & 3, l = e & 31, h = e >> 7;
                block[Qs + 32 * h + l] |= (byte)((u & 3) << (2 * j));
                block[l] |= (byte)((u >> 2) << (4 * h + j));
            }
        }
        Fp16.Write(block, D, d);
    }

    protected override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        var qa = Q8KFormat.Codes(activations);
        var scales = weights.Slice(Scales, 12);
        int isum = 0;
        for (int k = 0; k < 16; k++)
        {
            int sum = 0;
            for (int e = 16 * k; e < 16 * k + 16; e++)
            {
                sum += Code(weights, e) * qa[e];
            }
            isum += Q3KScales.Get(scales, k) * sum;
        }
        return Fp16.Read(weights, D) * Q8KFormat.Scale(activations) * isum;
    }

    // The signed 3-bit code of element e = 128h + 32j + l.
    private static int Code(ReadOnlySpan<byte> block, int e)
    {
        int j = (e >> 5) & 3, l = e & 31, h = e >> 7;
        int low = (block[Qs + 32 * h + l] >> (2 * j)) & 3;
        int high = (block[l] >> (4 * h + j)) & 1;
        return low - (high != 0 ? 0 : 4);
    }
}
