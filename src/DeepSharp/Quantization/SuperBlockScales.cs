namespace DeepSharp.Quantization;

/// <summary>
/// The two-level scales of K-quant super-blocks: each sub-block's float scale (and minimum) is stored as a small
/// integer times a super-block half. These helpers choose both levels for the reference quantizers.
/// </summary>
internal static class SuperBlockScales
{
    /// <summary>
    /// For sub-blocks coded as <c>(d·sc)·q − (dmin·m)</c> with q in [0, nmax] and sc, m in [0, levels]: fits each
    /// sub-block, sets <paramref name="d"/> and <paramref name="dmin"/> so the largest fits, then picks each
    /// (sc, m) among the neighbouring integers by the error of the sub-block it codes.
    /// </summary>
    public static void Affine(ReadOnlySpan<float> x, int subSize, int nmax, int levels, Span<byte> sc, Span<byte> m,
        out Half d, out Half dmin)
    {
        int count = x.Length / subSize;
        Span<float> scales = stackalloc float[16];
        Span<float> mins = stackalloc float[16];
        float maxScale = 0, maxMin = 0;
        for (int k = 0; k < count; k++)
        {
            ScaleSearch.FitAffine(x.Slice(k * subSize, subSize), nmax, offsetAtMostZero: true, out float s, out float o);
            scales[k] = s;
            mins[k] = -o;
            maxScale = MathF.Max(maxScale, s);
            maxMin = MathF.Max(maxMin, -o);
        }
        d = Fp16.AwayFromZero(maxScale / levels);
        dmin = Fp16.AwayFromZero(maxMin / levels);
        float df = (float)d, dmf = (float)dmin;
        for (int k = 0; k < count; k++)
        {
            var sub = x.Slice(k * subSize, subSize);
            int s0 = Floor(scales[k], df, levels), m0 = Floor(mins[k], dmf, levels);
            float best = float.PositiveInfinity;
            for (int s = s0; s <= Math.Min(s0 + 1, levels); s++)
            {
                for (int mm = m0; mm <= Math.Min(m0 + 1, levels); mm++)
                {
                    float err = ScaleSearch.AffineError(sub, nmax, df * s, dmf * mm);
                    if (err < best)
                    {
                        best = err;
                        sc[k] = (byte)s;
                        m[k] = (byte)mm;
                    }
                }
            }
        }
    }

    /// <summary>
    /// For signed sub-block scales stored as integers in [<paramref name="lo"/>, <paramref name="hi"/>] times a
    /// super-block half: maps the largest magnitude to <paramref name="lo"/> (the longer end of the range), then
    /// picks each integer among the two neighbours of its exact ratio by the <paramref name="error"/> of the
    /// sub-block it codes.
    /// </summary>
    /// <param name="x">The super-block, <paramref name="scales"/>.Length sub-blocks long.</param>
    /// <param name="scales">The fitted float scale of each sub-block.</param>
    /// <param name="lo">Smallest stored integer (negative).</param>
    /// <param name="hi">Largest stored integer.</param>
    /// <param name="error">Squared error of a sub-block coded with a given float scale.</param>
    /// <param name="sc">Receives the stored integers.</param>
    public static Half Signed(ReadOnlySpan<float> x, ReadOnlySpan<float> scales, int lo, int hi,
        ScaleError error, Span<int> sc)
    {
        var d = Fp16.AwayFromZero(ScaleSearch.SignedMaxAbs(scales) / lo);
        float df = (float)d;
        int subSize = x.Length / scales.Length;
        for (int k = 0; k < scales.Length; k++)
        {
            int s0 = df != 0 ? Math.Clamp((int)MathF.Floor(scales[k] / df), lo, hi) : 0;
            var sub = x.Slice(k * subSize, subSize);
            sc[k] = s0;
            if (s0 < hi && error(sub, df * (s0 + 1)) < error(sub, df * s0))
            {
                sc[k] = s0 + 1;
            }
        }
        return d;
    }

    /// <summary>Squared error of a sub-block coded with a given float scale.</summary>
    public delegate float ScaleError(ReadOnlySpan<float> x, float scale);

    private static int Floor(float value, float unit, int levels) =>
        unit > 0 ? Math.Clamp((int)MathF.Floor(value / unit), 0, levels) : 0;
}
