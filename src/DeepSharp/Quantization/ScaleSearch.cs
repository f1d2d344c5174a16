namespace DeepSharp.Quantization;

/// <summary>
/// Least-squares searches for the scale (and offset) of a group of weights, used by the reference quantizers.
/// Each search tries a fan of candidate inverse scales around the one that maps the extreme value to the
/// extreme code, refits the scale by least squares for the codes each candidate produces, keeps the best,
/// and then polishes it with two rounds of "recode, refit". Errors are unweighted squared errors.
/// </summary>
internal static class ScaleSearch
{
    private const int Candidates = 10; // each side of the nominal inverse scale
    private const float Step = 0.1f;   // in units of one code

    /// <summary>
    /// Fits <c>x ≈ scale·q + offset</c> with integer codes <c>q</c> in [0, <paramref name="nmax"/>] and
    /// <c>scale ≥ 0</c>; with <paramref name="offsetAtMostZero"/> the offset is kept ≤ 0 (K-quants store it as a
    /// subtracted non-negative minimum).
    /// </summary>
    public static void FitAffine(ReadOnlySpan<float> x, int nmax, bool offsetAtMostZero, out float scale, out float offset)
    {
        float lo = x[0], hi = x[0];
        foreach (float v in x)
        {
            lo = MathF.Min(lo, v);
            hi = MathF.Max(hi, v);
        }
        if (offsetAtMostZero && lo > 0)
        {
            lo = 0;
        }
        scale = 0;
        offset = lo;
        if (!(hi > lo))
        {
            return; // constant group
        }
        double best = double.PositiveInfinity;
        for (int c = -Candidates; c <= Candidates; c++)
        {
            float iscale = (nmax + Step * c) / (hi - lo);
            double err = AffineFit(x, nmax, iscale, lo, offsetAtMostZero, out float a, out float b);
            if (err < best)
            {
                best = err;
                scale = a;
                offset = b;
            }
        }
        for (int round = 0; round < 2 && scale > 0; round++)
        {
            double err = AffineFit(x, nmax, 1 / scale, offset, offsetAtMostZero, out float a, out float b);
            if (!(err < best))
            {
                break;
            }
            best = err;
            scale = a;
            offset = b;
        }
    }

    /// <summary>
    /// Fits <c>x ≈ scale·q</c> with integer codes in [<paramref name="qmin"/>, <paramref name="qmax"/>]. The sign of
    /// the scale matters when the code range is lopsided (−8..7): the search tries the largest magnitude on
    /// either end.
    /// </summary>
    public static float FitSigned(ReadOnlySpan<float> x, int qmin, int qmax)
    {
        float xm = SignedMaxAbs(x);
        if (xm == 0)
        {
            return 0;
        }
        double bestScore = -1;
        float scale = 0;
        for (int sign = -1; sign <= 1; sign += 2)
        {
            float top = sign < 0 ? -qmin : qmax;
            for (int c = -2 * Candidates; c <= 0; c++)
            {
                float iscale = sign * (top + 0.5f + Step * c) / xm;
                double score = SignedFit(x, qmin, qmax, iscale, out float s);
                if (score > bestScore)
                {
                    bestScore = score;
                    scale = s;
                }
            }
        }
        for (int round = 0; round < 2 && scale != 0; round++)
        {
            double score = SignedFit(x, qmin, qmax, 1 / scale, out float s);
            if (!(score > bestScore))
            {
                break;
            }
            bestScore = score;
            scale = s;
        }
        return scale;
    }

    /// <summary>Fits <c>x ≈ scale·v</c> where each <c>v</c> is an entry of the IQ4 codebook.</summary>
    public static float FitCodebook(ReadOnlySpan<float> x)
    {
        float xm = SignedMaxAbs(x);
        if (xm == 0)
        {
            return 0;
        }
        var values = Iq4Codebook.Values;
        double bestScore = -1;
        float scale = 0;
        foreach (int end in (ReadOnlySpan<int>)[values[0], values[^1]])
        {
            for (int c = -Candidates; c <= Candidates; c++)
            {
                float iscale = end * (1 + 0.015f * c) / xm;
                double score = CodebookFit(x, iscale, out float s);
                if (score > bestScore)
                {
                    bestScore = score;
                    scale = s;
                }
            }
        }
        for (int round = 0; round < 2 && scale != 0; round++)
        {
            double score = CodebookFit(x, 1 / scale, out float s);
            if (!(score > bestScore))
            {
                break;
            }
            bestScore = score;
            scale = s;
        }
        return scale;
    }

    /// <summary>The code in [0, nmax] nearest to <paramref name="v"/> (already divided by the scale).</summary>
    public static int AffineCode(float v, int nmax) => Math.Clamp((int)MathF.Round(v), 0, nmax);

    /// <summary>The code in [qmin, qmax] nearest to <paramref name="v"/>.</summary>
    public static int SignedCode(float v, int qmin, int qmax) => Math.Clamp((int)MathF.Round(v), qmin, qmax);

    /// <summary>Squared error of <c>scale·q − min</c> with the best codes in [0, nmax].</summary>
    public static float AffineError(ReadOnlySpan<float> x, int nmax, float scale, float min)
    {
        float inv = scale > 0 ? 1 / scale : 0;
        float err = 0;
        foreach (float v in x)
        {
            float e = scale * AffineCode((v + min) * inv, nmax) - min - v;
            err += e * e;
        }
        return err;
    }

    /// <summary>Squared error of <c>scale·q</c> with the best codes in [qmin, qmax].</summary>
    public static float SignedError(ReadOnlySpan<float> x, int qmin, int qmax, float scale)
    {
        float inv = scale != 0 ? 1 / scale : 0;
        float err = 0;
        foreach (float v in x)
        {
            float e = scale * SignedCode(v * inv, qmin, qmax) - v;
            err += e * e;
        }
        return err;
    }

    /// <summary>Squared error of <c>scale·v</c> with the nearest codebook entries.</summary>
    public static float CodebookError(ReadOnlySpan<float> x, float scale)
    {
        float inv = scale != 0 ? 1 / scale : 0;
        var values = Iq4Codebook.Values;
        float err = 0;
        foreach (float v in x)
        {
            float e = scale * values[Iq4Codebook.Nearest(v * inv)] - v;
            err += e * e;
        }
        return err;
    }

    /// <summary>The element of largest magnitude, with its sign (the first one on ties).</summary>
    public static float SignedMaxAbs(ReadOnlySpan<float> x)
    {
        float best = 0;
        foreach (float v in x)
        {
            if (MathF.Abs(v) > MathF.Abs(best))
            {
                best = v;
            }
        }
        return best;
    }

    // Codes q = round(iscale·(x − origin)); least-squares (a, b) for x ≈ a·q + b; returns the squared error.
    private static double AffineFit(ReadOnlySpan<float> x, int nmax, float iscale, float origin, bool offsetAtMostZero,
        out float a, out float b)
    {
        double sq = 0, sqq = 0, sx = 0, sxq = 0, sxx = 0;
        foreach (float v in x)
        {
            int q = AffineCode(iscale * (v - origin), nmax);
            sq += q;
            sqq += q * q;
            sx += v;
            sxq += (double)v * q;
            sxx += (double)v * v;
        }
        int n = x.Length;
        double det = n * sqq - sq * sq;
        double da, db;
        if (det > 0)
        {
            da = (n * sxq - sx * sq) / det;
            db = (sx - da * sq) / n;
        }
        else
        {
            da = 0;
            db = sx / n;
        }
        if (offsetAtMostZero && db > 0)
        {
            db = 0;
            da = sqq > 0 ? sxq / sqq : 0;
        }
        if (da < 0)
        {
            da = 0;
            db = offsetAtMostZero ? Math.Min(0, sx / n) : sx / n;
        }
        a = (float)da;
        b = (float)db;
        return sxx - 2 * da * sxq - 2 * db * sx + da * da * sqq + 2 * da * db * sq + n * db * db;
    }

    // Codes q = round(iscale·x); least-squares scale s = Σxq/Σq²; returns the error reduction (Σxq)²/Σq².
    private static double SignedFit(ReadOnlySpan<float> x, int qmin, int qmax, float iscale, out float s)
    {
        double sxq = 0, sqq = 0;
        foreach (float v in x)
        {
            int q = SignedCode(iscale * v, qmin, qmax);
            sxq += (double)v * q;
            sqq += q * q;
        }
        s = sqq > 0 ? (float)(sxq / sqq) : 0;
        return sqq > 0 ? sxq * sxq / sqq : 0;
    }

    private static double CodebookFit(ReadOnlySpan<float> x, float iscale, out float s)
    {
        var values = Iq4Codebook.Values;
        double sxq = 0, sqq = 0;
        foreach (float v in x)
        {
            int q = values[Iq4Codebook.Nearest(iscale * v)];
            sxq += (double)v * q;
            sqq += q * q;
        }
        s = sqq > 0 ? (float)(sxq / sqq) : 0;
        return sqq > 0 ? sxq * sxq / sqq : 0;
    }
}
