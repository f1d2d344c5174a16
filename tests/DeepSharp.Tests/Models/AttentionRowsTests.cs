using DeepSharp.Models.Blocks;

namespace DeepSharp.Tests.Models;

/// <summary>
/// The inner loops of attention against plain scalar loops: a weighted sum is one fused multiply-add per element and
/// row, in position order, so every form (eight, four or one vector at a time, and the scalar tail) must give the
/// scalar loop's bits; a score is a dot product, held to float rounding.
/// </summary>
public sealed class AttentionRowsTests
{
    [Theory]
    [InlineData(16)]
    [InlineData(48)]
    [InlineData(64)] // MLA value chunks: four vectors at a time
    [InlineData(72)]
    [InlineData(128)]
    [InlineData(192)]
    [InlineData(200)]
    public void AddWeighted_EqualsTheScalarChainOfFusedMultiplyAdds(int width)
    {
        var rng = new Random(width);
        const int count = 37, stride = 211;
        var rows = Enumerable.Range(0, count * stride).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        var weights = Enumerable.Range(0, count).Select(_ => rng.NextSingle()).ToArray();
        var start = Enumerable.Range(0, width).Select(_ => rng.NextSingle() - 0.5f).ToArray();

        var expected = (float[])start.Clone();
        for (int c = 0; c < width; c++)
        {
            for (int p = 0; p < count; p++)
            {
                expected[c] = MathF.FusedMultiplyAdd(rows[p * stride + c], weights[p], expected[c]);
            }
        }
        var actual = (float[])start.Clone();
        AttentionRows.AddWeighted(weights, rows, stride, count, actual);
        for (int c = 0; c < width; c++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[c]) == BitConverter.SingleToInt32Bits(actual[c]), $"column {c}: {actual[c]} vs {expected[c]}");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(15)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(660)]
    public void Softmax_IsTheNormalisedExponentials(int length)
    {
        var rng = new Random(length);
        var x = Enumerable.Range(0, length).Select(_ => rng.NextSingle() * 20 - 10).ToArray();
        double max = x.Max();
        var exact = x.Select(v => Math.Exp(v - max)).ToArray();
        double total = exact.Sum();
        AttentionRows.Softmax(x);
        for (int i = 0; i < length; i++)
        {
            // Exp in float is within a few units of the last place; the normaliser's sum adds a few more.
            Assert.True(Math.Abs(x[i] - exact[i] / total) <= 1e-6 * exact[i] / total + 1e-12, $"{i}: {x[i]} vs {exact[i] / total}");
        }
        Assert.Equal(1.0, x.Sum(v => (double)v), 1e-5);
    }

    [Theory]
    [InlineData(64, 3)]
    [InlineData(128, 9)]
    [InlineData(576, 5)]
    public void Scores_AreTheScaledDotProducts(int length, int count)
    {
        var rng = new Random(length + count);
        int stride = length + 16;
        var rows = Enumerable.Range(0, count * stride).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        var query = Enumerable.Range(0, length).Select(_ => rng.NextSingle() - 0.5f).ToArray();
        var scores = new float[count];
        AttentionRows.Scores(query, rows, stride, count, 0.125f, scores);
        for (int p = 0; p < count; p++)
        {
            double exact = 0, magnitude = 0;
            for (int c = 0; c < length; c++)
            {
                exact += (double)query[c] * rows[p * stride + c];
                magnitude += Math.Abs((double)query[c] * rows[p * stride + c]);
            }
            Assert.True(Math.Abs(scores[p] - 0.125 * exact) <= 0.125 * magnitude * length * 6e-8 + 1e-12, $"row {p}: {scores[p]} vs {0.125 * exact}");
        }
    }
}
