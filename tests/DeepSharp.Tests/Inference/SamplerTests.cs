using DeepSharp.Inference.Sampling;

namespace DeepSharp.Tests.Inference;

public sealed class SamplerTests
{
    private static TokenCandidates Candidates(params float[] logits)
    {
        var c = new TokenCandidates(logits.Length);
        c.Reset(logits);
        return c;
    }

    [Fact]
    public void SortOrdersByLogitThenId()
    {
        var c = Candidates(1, 3, 2, 3, -1);
        c.Sort();
        Assert.Equal([1, 3, 2, 0, 4], c.Ids.ToArray());
        Assert.Equal([3f, 3, 2, 1, -1], c.Logits.ToArray());
    }

    [Fact]
    public void TopKKeepsTheKHighest()
    {
        var c = Candidates(0.5f, 4, 1, 3, 2);
        new TopK(3).Apply(c);
        Assert.Equal([1, 3, 4], c.Ids.ToArray());
        var all = Candidates(1, 2);
        new TopK(0).Apply(all);
        Assert.Equal(2, all.Count);
    }

    [Fact]
    public void TopPKeepsTheSmallestNucleus()
    {
        // Probabilities ∝ e^{ln 0.5}, e^{ln 0.3}, e^{ln 0.15}, e^{ln 0.05} = 0.5, 0.3, 0.15, 0.05.
        var logits = new[] { 0.15f, 0.5f, 0.05f, 0.3f }.Select(p => MathF.Log(p)).ToArray();
        var c = Candidates(logits);
        new TopP(0.75f).Apply(c);
        Assert.Equal([1, 3], c.Ids.ToArray()); // 0.5 + 0.3 ≥ 0.75, 0.5 alone is not
        c = Candidates(logits);
        new TopP(0.81f).Apply(c);
        Assert.Equal([1, 3, 0], c.Ids.ToArray());
    }

    [Fact]
    public void MinPKeepsTokensNearTheTop()
    {
        var logits = new[] { 0.4f, 0.1f, 0.3f, 0.02f, 0.18f }.Select(p => MathF.Log(p)).ToArray();
        var c = Candidates(logits);
        new MinP(0.3f).Apply(c); // threshold 0.12: keeps 0.4, 0.3, 0.18
        Assert.Equal([0, 2, 4], c.Ids.ToArray());
    }

    [Fact]
    public void TemperatureScalesLogits()
    {
        var c = Candidates(1, -2, 4);
        new Temperature(0.5f).Apply(c);
        Assert.Equal([2f, -4, 8], c.Logits.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Temperature(0));
    }

    [Fact]
    public void RepetitionPenaltyDividesPositiveAndMultipliesNegativeOncePerToken()
    {
        float[] logits = [2, -1, 3, 4];
        new RepetitionPenalty(2, window: 3).Process(logits, [3, 0, 1, 1]);
        // Window is the last three tokens {0, 1, 1}: token 3 is outside, token 1 counts once.
        Assert.Equal([1f, -2, 3, 4], logits);
    }

    [Fact]
    public void FrequencyAndPresencePenaltiesSubtract()
    {
        float[] logits = [0, 0, 0];
        new FrequencyPresencePenalty(frequency: 0.5f, presence: 1, window: 10).Process(logits, [2, 2, 2, 0]);
        Assert.Equal([-1.5f, 0, -2.5f], logits);
    }

    [Fact]
    public void LogitBiasAddsAndBans()
    {
        float[] logits = [1, 1, 1];
        new LogitBias(new Dictionary<int, float> { [0] = 2, [2] = float.NegativeInfinity }).Process(logits, []);
        Assert.Equal([3f, 1, float.NegativeInfinity], logits);
        Assert.Throws<ArgumentOutOfRangeException>(() => new LogitBias(new Dictionary<int, float> { [3] = 1 }).Process(logits, []));
    }

    [Fact]
    public void GreedyPicksTheArgMaxEvenAfterBias()
    {
        var sampler = Sampler.Create(4, SamplingOptions.Greedy with { LogitBias = new Dictionary<int, float> { [3] = float.NegativeInfinity } });
        Assert.Equal(1, sampler.Sample([0.1f, 5, 2, 9], []));
    }

    [Fact]
    public void TheSameSeedGivesTheSameTokensAndAnotherSeedOtherTokens()
    {
        float[] logits = Enumerable.Range(0, 50).Select(i => MathF.Sin(i) * 2).ToArray();
        var options = new SamplingOptions { Temperature = 1.5f, TopK = 0, TopP = 1, MinP = 0, Seed = 42 };
        int[] Draw(SamplingOptions o)
        {
            var s = Sampler.Create(50, o);
            return Enumerable.Range(0, 40).Select(_ => s.Sample(logits, [])).ToArray();
        }
        Assert.Equal(Draw(options), Draw(options));
        Assert.NotEqual(Draw(options), Draw(options with { Seed = 43 }));
    }

    [Fact]
    public void DrawsFollowTheSoftmaxDistribution()
    {
        float[] logits = [0, 1, 2, -1];
        double[] p = logits.Select(l => Math.Exp(l)).ToArray();
        double total = p.Sum();
        var sampler = Sampler.Create(4, new SamplingOptions { Temperature = 1, TopK = 0, TopP = 1, MinP = 0, Seed = 7 });
        const int n = 20000;
        var counts = new int[4];
        for (int i = 0; i < n; i++)
        {
            counts[sampler.Sample(logits, [])]++;
        }
        for (int i = 0; i < 4; i++)
        {
            double expected = p[i] / total;
            double sd = Math.Sqrt(expected * (1 - expected) / n);
            Assert.InRange(counts[i] / (double)n, expected - 5 * sd, expected + 5 * sd);
        }
    }

    [Fact]
    public void FiltersRunBeforeThePick()
    {
        // With top-k 1 only the arg-max survives, whatever the seed and temperature.
        float[] logits = [0.3f, 0.2f, 0.9f, 0.1f];
        for (ulong seed = 0; seed < 20; seed++)
        {
            var s = Sampler.Create(4, new SamplingOptions { Temperature = 5, TopK = 1, Seed = seed });
            Assert.Equal(2, s.Sample(logits, []));
        }
    }

    [Fact]
    public void TheLogitsPassedInAreLeftUnchanged()
    {
        float[] logits = [1, 2, 3];
        Sampler.Create(3, SamplingOptions.Greedy with { RepetitionPenalty = 2 }).Sample(logits, [2]);
        Assert.Equal([1f, 2, 3], logits);
    }
}
