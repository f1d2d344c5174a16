using DeepSharp.Quantization;

namespace DeepSharp.Tests.Quantization;

/// <summary>
/// Quantize → dequantize on seeded data, with the relative RMSE (error RMS over data RMS) each format must reach.
/// The bounds are the worst relative RMSE measured over eight seeds (docs/QUANTIZATION.md) plus about 10 %.
/// </summary>
public sealed class RoundTripTests
{
    private const int N = 4096;

    public static TheoryData<GgmlType, double> Bounds => new()
    {
        { GgmlType.F32, 0 },
        { GgmlType.F16, 0.0003 },
        { GgmlType.BF16, 0.002 },
        { GgmlType.Q8_0, 0.0063 },
        { GgmlType.Q8_1, 0.0063 },
        { GgmlType.Q8_K, 0.0105 },
        { GgmlType.Q6_K, 0.019 },
        { GgmlType.Q5_0, 0.045 },
        { GgmlType.Q5_1, 0.038 },
        { GgmlType.Q5_K, 0.04 },
        { GgmlType.Q4_0, 0.092 },
        { GgmlType.Q4_1, 0.078 },
        { GgmlType.Q4_K, 0.079 },
        { GgmlType.IQ4_NL, 0.083 },
        { GgmlType.IQ4_XS, 0.084 },
        { GgmlType.Q3_K, 0.163 },
        { GgmlType.Q2_K, 0.295 },
    };

    [Theory]
    [MemberData(nameof(Bounds))]
    public void Gaussian_WithinBound(GgmlType type, double bound)
    {
        var x = TestRows.Gaussian(N, seed: 7);
        double err = QuantStats.RelativeRmse(x, RoundTrip(type, x));
        Assert.True(err <= bound, $"{type}: relative RMSE {err:P3} > {bound:P2}");
    }

    [Theory]
    [MemberData(nameof(Bounds))]
    public void TinyValues_WithinBound(GgmlType type, double bound)
    {
        // Values around 1e-3 push K-quant super-block scales into f16 subnormals; the quantizers must adapt.
        var x = TestRows.Gaussian(N, seed: 8, scale: 1e-3f);
        double err = QuantStats.RelativeRmse(x, RoundTrip(type, x));
        Assert.True(err <= bound, $"{type}: relative RMSE {err:P3} > {bound:P2}");
    }

    [Theory]
    [MemberData(nameof(Bounds))]
    public void Outlier_IsKeptAndTheRestStaysBounded(GgmlType type, double bound)
    {
        var x = TestRows.WithOutlier(N, seed: 9);
        var y = RoundTrip(type, x);
        // The outlier sets its block's scale, so it comes back nearly exactly ...
        Assert.True(Math.Abs(y[N / 3] - 50) <= 50 * Math.Max(bound / 4, 0.002), $"{type}: outlier 50 came back as {y[N / 3]}");
        // ... and the blocks without it keep the Gaussian bound (the 256 elements around it are excused).
        int first = N / 3 / 256 * 256;
        var rest = x.AsSpan(0, first).ToArray().Concat(x.AsSpan(first + 256).ToArray()).ToArray();
        var restY = y.AsSpan(0, first).ToArray().Concat(y.AsSpan(first + 256).ToArray()).ToArray();
        double err = QuantStats.RelativeRmse(rest, restY);
        Assert.True(err <= bound, $"{type}: relative RMSE away from the outlier {err:P3} > {bound:P2}");
    }

    [Theory]
    [MemberData(nameof(Bounds))]
    public void Zeros_ComeBackAsZeros(GgmlType type, double bound)
    {
        _ = bound;
        var y = RoundTrip(type, new float[N]);
        Assert.All(y, v => Assert.Equal(0f, v));
    }

    [Theory]
    [MemberData(nameof(Bounds))]
    public void Constants_ComeBackWithinHalfPrecision(GgmlType type, double bound)
    {
        _ = bound;
        // A constant block is coded exactly up to the rounding of its f16 scale(s), 2^-11 relative each. For the
        // tiny constant IQ4_XS's super-block scale (about c/4000) is an f16 subnormal with a handful of significant
        // bits, and only its 6-bit sub-block scale can make up for that: allow 1 % there.
        foreach (float c in (float[])[0.7f, -0.3f, 1234.5f, -3e-3f])
        {
            var y = RoundTrip(type, TestRows.Constant(N, c));
            float tolerance = Math.Abs(c) * (Math.Abs(c) < 0.01f ? 0.01f : 0.004f);
            Assert.All(y, v => Assert.True(Math.Abs(v - c) <= tolerance, $"{type}: constant {c} came back as {v}"));
        }
    }

    private static float[] RoundTrip(GgmlType type, float[] x)
    {
        var format = QuantFormats.Get(type);
        var bytes = new byte[format.RowBytes(x.Length)];
        format.Quantize(x, bytes);
        var y = new float[x.Length];
        format.Dequantize(bytes, y);
        return y;
    }
}
