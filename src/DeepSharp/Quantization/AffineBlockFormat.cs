namespace DeepSharp.Quantization;

/// <summary>
/// 32-element formats whose elements are <c>q·d + m</c> with half <c>d</c> and <c>m</c> at offsets 0 and 2 and
/// unsigned codes <c>q</c> (Q4_1, Q5_1), dotted with Q8_1 activations as <c>d_w·d_a·Σ q·q_a + m_w·s_a</c>. The
/// reference quantizer fits (d, m) by least squares, rounds both to half, then codes against the rounded pair.
/// </summary>
internal abstract class AffineBlockFormat(GgmlType type, int maxCode) : BlockQuantFormat(type, GgmlType.Q8_1)
{
    protected sealed override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        Span<byte> q = stackalloc byte[32];
        UnpackCodes(block, q);
        float d = Fp16.Read(block, 0);
        float m = Fp16.Read(block, 2);
        for (int j = 0; j < 32; j++)
        {
            y[j] = q[j] * d + m;
        }
    }

    protected sealed override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        ScaleSearch.FitAffine(x, maxCode, offsetAtMostZero: false, out float scale, out float offset);
        var d = (Half)scale;
        var m = (Half)offset;
        Fp16.Write(block, 0, d);
        Fp16.Write(block, 2, m);
        float id = (float)d != 0 ? 1 / (float)d : 0;
        Span<byte> codes = stackalloc byte[32];
        for (int j = 0; j < 32; j++)
        {
            codes[j] = (byte)ScaleSearch.AffineCode((x[j] - (float)m) * id, maxCode);
        }
        PackCodes(codes, block);
    }

    protected sealed override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        Span<byte> q = stackalloc byte[32];
        UnpackCodes(weights, q);
        var qa = Q8_0Format.Codes(activations, 4);
        int sum = 0;
        for (int j = 0; j < 32; j++)
        {
            sum += q[j] * qa[j];
        }
        return Fp16.Read(weights, 0) * Fp16.Read(activations, 0) * sum + Fp16.Read(weights, 2) * Fp16.Read(activations, 2);
    }

    /// <summary>The 32 codes of a block.</summary>
    protected abstract void UnpackCodes(ReadOnlySpan<byte> block, Span<byte> codes);

    /// <summary>Writes 32 codes into the block after its scale and minimum.</summary>
    protected abstract void PackCodes(ReadOnlySpan<byte> codes, Span<byte> block);
}
