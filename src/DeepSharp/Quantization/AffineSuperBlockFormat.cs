namespace DeepSharp.Quantization;

/// <summary>
/// K-quants whose element is <c>(d·sc)·q − (dmin·m)</c>, with half <c>d</c>, <c>dmin</c> per 256-element block and
/// integer (sc, m) per sub-block (Q2_K, Q4_K, Q5_K). Dotted with Q8_K activations as
/// <c>d·d_a·Σ_k sc_k·Σ q·q_a − dmin·d_a·Σ_k m_k·bsums_k</c>. A format supplies its code and scale packing.
/// </summary>
internal abstract class AffineSuperBlockFormat : BlockQuantFormat
{
    private readonly int _subSize;
    private readonly int _maxCode;
    private readonly int _scaleLevels;
    private readonly int _d;
    private readonly int _dmin;

    /// <param name="type">The format.</param>
    /// <param name="subSize">Elements per sub-block (16 or 32).</param>
    /// <param name="maxCode">Largest code (3, 15 or 31).</param>
    /// <param name="scaleLevels">Largest stored sub-block scale and min (15 or 63).</param>
    /// <param name="d">Byte offset of the half <c>d</c>.</param>
    /// <param name="dmin">Byte offset of the half <c>dmin</c>.</param>
    protected AffineSuperBlockFormat(GgmlType type, int subSize, int maxCode, int scaleLevels, int d, int dmin)
        : base(type, GgmlType.Q8_K)
    {
        _subSize = subSize;
        _maxCode = maxCode;
        _scaleLevels = scaleLevels;
        _d = d;
        _dmin = dmin;
    }

    protected sealed override void DequantizeBlock(ReadOnlySpan<byte> block, Span<float> y)
    {
        Span<byte> q = stackalloc byte[256];
        UnpackCodes(block, q);
        float d = Fp16.Read(block, _d);
        float dmin = Fp16.Read(block, _dmin);
        for (int k = 0; k < 256 / _subSize; k++)
        {
            var (sc, m) = ScaleMin(block, k);
            float dl = d * sc;
            float ml = dmin * m;
            for (int e = k * _subSize; e < (k + 1) * _subSize; e++)
            {
                y[e] = dl * q[e] - ml;
            }
        }
    }

    /// <summary>
    /// Per sub-block least-squares (scale, min) (<see cref="ScaleSearch.FitAffine"/>), both stored as integer
    /// multiples of d and dmin (<see cref="SuperBlockScales.Affine"/>), then nearest codes against the stored values.
    /// </summary>
    protected sealed override void QuantizeBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        int count = 256 / _subSize;
        Span<byte> sc = stackalloc byte[count];
        Span<byte> m = stackalloc byte[count];
        SuperBlockScales.Affine(x, _subSize, _maxCode, _scaleLevels, sc, m, out var d, out var dmin);
        Span<byte> codes = stackalloc byte[256];
        for (int k = 0; k < count; k++)
        {
            float dl = (float)d * sc[k];
            float ml = (float)dmin * m[k];
            float inv = dl > 0 ? 1 / dl : 0;
            for (int e = k * _subSize; e < (k + 1) * _subSize; e++)
            {
                codes[e] = (byte)ScaleSearch.AffineCode((x[e] + ml) * inv, _maxCode);
            }
        }
        block.Clear();
        Fp16.Write(block, _d, d);
        Fp16.Write(block, _dmin, dmin);
        PackScales(sc, m, block);
        PackCodes(codes, block);
    }

    protected sealed override float DotBlock(ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations)
    {
        Span<byte> q = stackalloc byte[256];
        UnpackCodes(weights, q);
        var qa = Q8KFormat.Codes(activations);
        int isum = 0, msum = 0;
        for (int k = 0; k < 256 / _subSize; k++)
        {
            var (sc, m) = ScaleMin(weights, k);
            int sum = 0;
            for (int e = k * _subSize; e < (k + 1) * _subSize; e++)
            {
                sum += q[e] * qa[e];
            }
            isum += sc * sum;
            // The minimum multiplies the sum of the sub-block's activation codes: Q8_K keeps it per 16 elements.
            for (int g = k * _subSize / 16; g < (k + 1) * _subSize / 16; g++)
            {
                msum += m * Q8KFormat.GroupSum(activations, g);
            }
        }
        float da = Q8KFormat.Scale(activations);
        return Fp16.Read(weights, _d) * da * isum - Fp16.Read(weights, _dmin) * da * msum;
    }

    /// <summary>The 256 codes of a block, in element order.</summary>
    protected abstract void UnpackCodes(ReadOnlySpan<byte> block, Span<byte> codes);

    /// <summary>Writes 256 codes into a block whose code bytes are zero.</summary>
    protected abstract void PackCodes(ReadOnlySpan<byte> codes, Span<byte> block);

    /// <summary>The stored scale and minimum of sub-block <paramref name="k"/>.</summary>
    protected abstract (int Scale, int Min) ScaleMin(ReadOnlySpan<byte> block, int k);

    /// <summary>Writes the stored scales and minimums into a block whose scale bytes are zero.</summary>
    protected abstract void PackScales(ReadOnlySpan<byte> scales, ReadOnlySpan<byte> mins, Span<byte> block);
}
