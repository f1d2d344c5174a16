namespace DeepSharp.Compute;

/// <summary>
/// Rotary position embedding. Angles follow ggml's recurrence (θ starts at the position and is multiplied by
/// base^(−2/n_rot) per pair, in float), so rotated vectors match llama.cpp's to rounding.
/// </summary>
public sealed class Rope
{
    private const int MaxDimensions = 1024;
    private readonly RopeParameters _p;
    private readonly float _thetaScale;
    private readonly float _corrLow;
    private readonly float _corrHigh;

    /// <summary>Prepares the rotation described by <paramref name="parameters"/>.</summary>
    public Rope(RopeParameters parameters)
    {
        if (parameters.Dimensions <= 0 || parameters.Dimensions % 2 != 0 || parameters.Dimensions > MaxDimensions)
        {
            throw new ArgumentException($"RoPE dimension count {parameters.Dimensions} must be even and in 2..{MaxDimensions}", nameof(parameters));
        }
        if (parameters.FreqFactors is { } f && f.Length != parameters.Dimensions / 2)
        {
            throw new ArgumentException($"RoPE frequency factors have {f.Length} entries, expected {parameters.Dimensions / 2}", nameof(parameters));
        }
        _p = parameters;
        _thetaScale = MathF.Pow(parameters.FreqBase, -2f / parameters.Dimensions);
        if (parameters.ExtFactor != 0)
        {
            _corrLow = MathF.Max(0, MathF.Floor(CorrectionDimension(parameters.BetaFast)));
            _corrHigh = MathF.Min(parameters.Dimensions - 1, MathF.Ceiling(CorrectionDimension(parameters.BetaSlow)));
        }
    }

    /// <summary>Rotated elements per head.</summary>
    public int Dimensions => _p.Dimensions;

    /// <summary>Rotates the first <see cref="Dimensions"/> elements of each of <paramref name="headCount"/> heads at <paramref name="position"/>.</summary>
    public void Apply(Span<float> heads, int headCount, int headDim, int position) => Apply(heads, headCount, headDim, 0, position);

    /// <summary>
    /// Rotates <see cref="Dimensions"/> elements starting <paramref name="offset"/> into each of <paramref name="headCount"/>
    /// heads of <paramref name="headDim"/> values (MLA rotates only the last part of a query head).
    /// </summary>
    public void Apply(Span<float> heads, int headCount, int headDim, int offset, int position)
    {
        if (offset < 0 || offset + _p.Dimensions > headDim || heads.Length < headCount * headDim)
        {
            throw new ArgumentException($"{headCount} heads of {headDim} do not fit RoPE over {_p.Dimensions} dimensions at offset {offset} in {heads.Length} values");
        }
        Span<float> cache = stackalloc float[_p.Dimensions];
        FillCache(position, cache);
        for (int h = 0; h < headCount; h++)
        {
            Rotate(heads.Slice(h * headDim + offset, _p.Dimensions), cache);
        }
    }

    /// <summary>Writes (cos θ_i, sin θ_i), magnitude included, for every pair i at <paramref name="position"/>.</summary>
    public void FillCache(int position, Span<float> cache)
    {
        float theta = position;
        var factors = _p.FreqFactors;
        for (int i0 = 0; i0 < _p.Dimensions; i0 += 2)
        {
            float extrapolated = factors is null ? theta : theta / factors[i0 / 2];
            float interpolated = _p.FreqScale * extrapolated;
            float angle = interpolated;
            float magnitude = _p.AttnFactor;
            if (_p.ExtFactor != 0)
            {
                float mix = Ramp(i0) * _p.ExtFactor;
                angle = interpolated * (1 - mix) + extrapolated * mix;
                magnitude *= 1 + 0.1f * MathF.Log(1 / _p.FreqScale);
            }
            cache[i0] = MathF.Cos(angle) * magnitude;
            cache[i0 + 1] = MathF.Sin(angle) * magnitude;
            theta *= _thetaScale;
        }
    }

    private void Rotate(Span<float> head, ReadOnlySpan<float> cache)
    {
        int n = _p.Dimensions;
        // Adjacent pairs (2i, 2i+1), or with NEOX the halves (i, i + n/2).
        int stride = _p.Neox ? n / 2 : 1;
        for (int i0 = 0; i0 < n; i0 += 2)
        {
            int a = _p.Neox ? i0 / 2 : i0;
            float x0 = head[a], x1 = head[a + stride];
            float cos = cache[i0], sin = cache[i0 + 1];
            head[a] = x0 * cos - x1 * sin;
            head[a + stride] = x0 * sin + x1 * cos;
        }
    }

    // 1 for pairs below the low correction dimension (keep the original frequency), 0 above the high one.
    private float Ramp(int i0)
    {
        float y = (i0 / 2 - _corrLow) / MathF.Max(0.001f, _corrHigh - _corrLow);
        return 1 - MathF.Min(1, MathF.Max(0, y));
    }

    private float CorrectionDimension(float rotations) =>
        _p.Dimensions * MathF.Log(_p.OriginalContext / (rotations * 2 * MathF.PI)) / (2 * MathF.Log(_p.FreqBase));
}
