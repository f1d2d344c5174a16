using DeepSharp.Quantization;

namespace DeepSharp.Tests.Quantization;

/// <summary>
/// The integer dot-product paths against plain float arithmetic on the decoded values: they must agree up to
/// float rounding, and differ from the float dot with the unquantised activations only by the activation
/// quantisation error, which is bounded per element from the Q8 rules.
/// </summary>
public sealed class DotTests
{
    private const int N = 2048;

    public static TheoryData<GgmlType> Types => [.. QuantFormats.All.Select(f => f.Type)];

    [Theory]
    [MemberData(nameof(Types))]
    public void IntegerPath_EqualsDequantizedFloatPath(GgmlType type)
    {
        var (format, weights, w, acts, a, _) = Setup(type, seed: 11);
        float dot = format.Dot(weights, acts, N);
        double reference = 0, magnitude = 0;
        for (int i = 0; i < N; i++)
        {
            reference += (double)w[i] * a[i];
            magnitude += Math.Abs((double)w[i] * a[i]);
        }
        double tolerance = 1e-5 * magnitude + StoredSumSlack(format, weights, acts);
        Assert.True(Math.Abs(dot - reference) <= tolerance, $"{type}: integer path {dot}, float path {reference}, tolerance {tolerance}");
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void Dot_IsCloseToTheUnquantizedActivations(GgmlType type)
    {
        var (format, weights, w, acts, _, x) = Setup(type, seed: 12);
        float dot = format.Dot(weights, acts, N);
        double exact = 0, bound = 0, magnitude = 0;
        int group = QuantFormats.Get(format.DotType).BlockSize;
        for (int b = 0; b < N; b += group)
        {
            float amax = 0;
            for (int i = b; i < b + group; i++)
            {
                amax = Math.Max(amax, Math.Abs(x[i]));
            }
            for (int i = b; i < b + group; i++)
            {
                exact += (double)w[i] * x[i];
                magnitude += Math.Abs((double)w[i] * x[i]);
                bound += Math.Abs(w[i]) * ActivationError(format.DotType, x[i], amax);
            }
        }
        bound += StoredSumSlack(format, weights, acts) + 1e-5 * magnitude;
        Assert.True(Math.Abs(dot - exact) <= bound, $"{type}: dot {dot}, exact {exact}, bound {bound}");
        Assert.True(Math.Abs(dot - exact) <= 0.01 * Math.Abs(exact) + 1e-3, $"{type}: dot {dot} is not within 1 % of {exact}");
    }

    [Fact]
    public void DotF32_ConvertsTheActivationsFirst()
    {
        var format = QuantFormats.Get(GgmlType.Q4_K);
        var x = TestRows.Gaussian(N, seed: 13);
        var weights = new byte[format.RowBytes(N)];
        format.Quantize(TestRows.Gaussian(N, seed: 14), weights);
        var acts = new byte[format.ActivationBytes(N)];
        format.QuantizeActivations(x, acts);
        Assert.Equal(format.Dot(weights, acts, N), format.DotF32(weights, x));
    }

    // Largest error of one activation after conversion to the dot type (FACTS.md §2.4), with a small margin.
    private static double ActivationError(GgmlType dotType, float x, float amax) => dotType switch
    {
        GgmlType.F32 => 0,
        GgmlType.F16 => Math.Abs(x) * Math.Pow(2, -11) + Math.Pow(2, -25),
        GgmlType.BF16 => Math.Abs(x) * Math.Pow(2, -8),
        // round(x/d)·half(d) with d = amax/127: half a step, plus up to 127 codes times the f16 rounding of d.
        GgmlType.Q8_0 or GgmlType.Q8_1 => amax / 127.0 * (0.5 + 127 * Math.Pow(2, -11)) * 1.001,
        // Q8_K keeps d in f32.
        GgmlType.Q8_K => amax / 127.0 * 0.5 * 1.001,
        _ => throw new ArgumentOutOfRangeException(nameof(dotType)),
    };

    // Q4_1/Q5_1 · Q8_1 add m_w·s_a with s = f16(d·Σq) rather than Σ f16(d)·q: allow each block that difference.
    private static double StoredSumSlack(IQuantFormat format, byte[] weights, byte[] acts)
    {
        if (format.DotType != GgmlType.Q8_1)
        {
            return 0;
        }
        double slack = 0;
        for (int b = 0; b < weights.Length / format.BlockBytes; b++)
        {
            float m = (float)BitConverter.ToHalf(weights.AsSpan(b * format.BlockBytes + 2, 2));
            float d = (float)BitConverter.ToHalf(acts.AsSpan(36 * b, 2));
            int sum = 0;
            for (int j = 0; j < 32; j++)
            {
                sum += (sbyte)acts[36 * b + 4 + j];
            }
            slack += Math.Abs(m) * Math.Abs(sum * d) * Math.Pow(2, -10) * 1.01;
        }
        return slack;
    }

    private static (IQuantFormat Format, byte[] Weights, float[] W, byte[] Acts, float[] A, float[] X) Setup(GgmlType type, int seed)
    {
        var format = QuantFormats.Get(type);
        var weights = new byte[format.RowBytes(N)];
        format.Quantize(TestRows.Gaussian(N, seed), weights);
        var w = new float[N];
        format.Dequantize(weights, w);
        // Activations with a non-zero mean, so the minimum terms of Q4_1/Q5_1/K-quants matter.
        var x = TestRows.Gaussian(N, seed + 100).Select(v => v + 0.3f).ToArray();
        var acts = new byte[format.ActivationBytes(N)];
        format.QuantizeActivations(x, acts);
        var a = new float[N];
        QuantFormats.Get(format.DotType).Dequantize(acts, a);
        return (format, weights, w, acts, a, x);
    }
}
