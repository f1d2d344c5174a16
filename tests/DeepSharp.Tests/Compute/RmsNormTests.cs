using DeepSharp.Compute;

namespace DeepSharp.Tests.Compute;

public sealed class RmsNormTests
{
    [Fact]
    public void MatchesTheDefinitionInDouble()
    {
        var random = new Random(3);
        float[] x = Enumerable.Range(0, 257).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        float[] w = Enumerable.Range(0, 257).Select(_ => (float)(random.NextDouble() + 0.5)).ToArray();
        var y = new float[x.Length];
        RmsNorm.Apply(x, w, 1e-5f, y);
        double rms = Math.Sqrt(x.Sum(v => (double)v * v) / x.Length + 1e-5);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i] / rms * w[i], y[i], 1e-5);
        }
    }

    [Fact]
    public void WorksInPlaceRowByRow()
    {
        float[] rows = [3, 4, 1, -1];
        RmsNorm.ApplyRows(rows, 2, [1, 2], 0);
        // Row [3, 4] has rms √12.5; row [1, −1] has rms 1. Each row is normalised on its own.
        Assert.Equal(3 / Math.Sqrt(12.5), rows[0], 1e-6);
        Assert.Equal(2 * 4 / Math.Sqrt(12.5), rows[1], 1e-6);
        Assert.Equal(1, rows[2], 1e-6);
        Assert.Equal(-2, rows[3], 1e-6);
    }

    [Fact]
    public void LengthMismatchIsAnError() =>
        Assert.Throws<ArgumentException>(() => RmsNorm.Apply(new float[4], new float[3], 1e-5f, new float[4]));
}
