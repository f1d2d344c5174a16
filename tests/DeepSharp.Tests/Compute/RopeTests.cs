using DeepSharp.Compute;

namespace DeepSharp.Tests.Compute;

/// <summary>RoPE against the closed-form rotation of FACTS.md §3.2 and §3.10, computed in double.</summary>
public sealed class RopeTests
{
    private static float[] Head(int length, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, length).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
    }

    /// <summary>Rotates pair (a, b) of <paramref name="x"/> by <paramref name="angle"/>, scaled by <paramref name="magnitude"/>.</summary>
    private static void Rotate(double[] x, int a, int b, double angle, double magnitude = 1)
    {
        double x0 = x[a], x1 = x[b];
        x[a] = (x0 * Math.Cos(angle) - x1 * Math.Sin(angle)) * magnitude;
        x[b] = (x0 * Math.Sin(angle) + x1 * Math.Cos(angle)) * magnitude;
    }

    [Theory]
    [InlineData(false, 0)]
    [InlineData(false, 37)]
    [InlineData(true, 37)]
    [InlineData(true, 300)]
    public void RotatesThePairsOfEachMode(bool neox, int position)
    {
        const int headDim = 24, rotated = 16, heads = 3;
        float[] x = Head(headDim * heads, position);
        var expected = x.Select(v => (double)v).ToArray();
        for (int h = 0; h < heads; h++)
        {
            for (int i = 0; i < rotated / 2; i++)
            {
                double angle = position * Math.Pow(10000, -2.0 * i / rotated);
                int a = h * headDim + (neox ? i : 2 * i), b = neox ? a + rotated / 2 : a + 1;
                Rotate(expected, a, b, angle);
            }
        }
        new Rope(new RopeParameters(rotated, 10000, neox)).Apply(x, heads, headDim, position);
        for (int i = 0; i < x.Length; i++)
        {
            // Elements past the rotated dimensions pass through unchanged (the else-branch compares them exactly).
            Assert.Equal(expected[i], x[i], 2e-4);
        }
    }

    [Fact]
    public void FrequencyFactorsDivideTheAngles()
    {
        float[] factors = [1, 2, 4, 8];
        float[] x = Head(8, 1);
        var expected = x.Select(v => (double)v).ToArray();
        for (int i = 0; i < 4; i++)
        {
            Rotate(expected, 2 * i, 2 * i + 1, 50 * Math.Pow(500, -2.0 * i / 8) / factors[i]);
        }
        new Rope(new RopeParameters(8, 500, false, FreqFactors: factors)).Apply(x, 1, 8, 50);
        Assert.Equal(expected, x.Select(v => (double)v), (a, b) => Math.Abs(a - b) < 2e-5);
    }

    [Fact]
    public void YarnBlendsFrequenciesAndScalesTheMagnitude()
    {
        // FACTS.md §3.10: corr(β) = d·ln(L0/(2πβ))/(2 ln base); low = floor(corr(β_fast)), high = ceil(corr(β_slow));
        // γ_i = clamp((i − low)/(high − low), 0, 1); freq_i = base^(−2i/d)·((1 − γ_i) + γ_i/s); magnitude 1 + 0.1 ln s.
        const int d = 64, position = 1000;
        const double freqBase = 10000, s = 4, l0 = 256;
        double Corr(double beta) => d * Math.Log(l0 / (2 * Math.PI * beta)) / (2 * Math.Log(freqBase));
        double low = Math.Max(0, Math.Floor(Corr(32))), high = Math.Min(d - 1, Math.Ceiling(Corr(1)));
        float[] x = Head(d, 2);
        var expected = x.Select(v => (double)v).ToArray();
        for (int i = 0; i < d / 2; i++)
        {
            double gamma = Math.Clamp((i - low) / Math.Max(0.001, high - low), 0, 1);
            double freq = Math.Pow(freqBase, -2.0 * i / d) * ((1 - gamma) + gamma / s);
            Rotate(expected, 2 * i, 2 * i + 1, position * freq, 1 + 0.1 * Math.Log(s));
        }
        var p = new RopeParameters(d, (float)freqBase, false, FreqScale: (float)(1 / s), ExtFactor: 1, OriginalContext: (int)l0);
        new Rope(p).Apply(x, 1, d, position);
        Assert.Equal(expected, x.Select(v => (double)v), (a, b) => Math.Abs(a - b) < 2e-3);
    }

    [Fact]
    public void BadParametersAreRejected()
    {
        Assert.Throws<ArgumentException>(() => new Rope(new RopeParameters(7, 10000, false)));
        Assert.Throws<ArgumentException>(() => new Rope(new RopeParameters(8, 10000, false, FreqFactors: [1, 2])));
        Assert.Throws<ArgumentException>(() => new Rope(new RopeParameters(8, 10000, false)).Apply(new float[8], 1, 6, 0));
    }
}
