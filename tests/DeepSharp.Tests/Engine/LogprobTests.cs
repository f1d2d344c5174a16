using System.Text;
using DeepSharp.Engine;
using DeepSharp.Inference;
using DeepSharp.Inference.Sampling;

namespace DeepSharp.Tests.Engine;

public sealed class LogprobTests
{
    /// <summary>
    /// Each sampled token's log-probability and its top alternatives are the log-softmax of the raw logits at that
    /// step (computed here in double from a plain session's logits), whatever the sampler's filters and temperature did.
    /// </summary>
    [Fact]
    public async Task LogprobsAreTheLogSoftmaxOfTheRawLogits()
    {
        using var engine = EngineFixture.Load();
        const string text = "Once upon a time";
        var options = new ChatRequestOptions
        {
            MaxTokens = 8, Logprobs = true, TopLogprobs = 5,
            Sampling = new SamplingOptions { Temperature = 1.5f, TopK = 4, TopP = 1, MinP = 0, Seed = 11 },
        };
        var updates = await EngineFixture.CollectAsync(engine.CompleteAsync(text, options));
        var logprobs = updates.SelectMany(u => u.Logprobs ?? []).ToList();
        var usage = updates[^1].Usage!.Value;
        Assert.Equal(usage.CompletionTokens - (updates[^1].FinishReason == FinishReason.StopToken ? 1 : 0), logprobs.Count);
        Assert.Equal(EngineFixture.Text(updates, ChatUpdateKind.Content), Encoding.UTF8.GetString(logprobs.SelectMany(l => l.Bytes).ToArray()));

        int[] prompt = engine.Tokenizer.Encode(text);
        int[] generated = logprobs.Select(l => l.TokenId).ToArray();
        var rows = new InferenceSession(engine.Model).EvaluateAll([.. prompt, .. generated]);
        bool sampledBelowTheTop = false;
        for (int i = 0; i < generated.Length; i++)
        {
            float[] row = rows[prompt.Length - 1 + i];
            double max = row.Max();
            double normalizer = max + Math.Log(row.Sum(x => Math.Exp(x - max)));
            Assert.Equal(row[generated[i]] - normalizer, logprobs[i].Logprob, 1e-4);
            int[] top = Enumerable.Range(0, row.Length).OrderByDescending(j => row[j]).ThenBy(j => j).Take(5).ToArray();
            Assert.Equal(top, logprobs[i].TopLogprobs.Select(t => t.TokenId));
            foreach (var alternative in logprobs[i].TopLogprobs)
            {
                Assert.Equal(row[alternative.TokenId] - normalizer, alternative.Logprob, 1e-4);
                Assert.Empty(alternative.TopLogprobs);
            }
            sampledBelowTheTop |= generated[i] != top[0];
        }
        Assert.True(sampledBelowTheTop, "with this temperature some token should not be the most likely one");
    }

    [Fact]
    public async Task WithoutTheOptionNoUpdateCarriesLogprobsAndTooManyAlternativesAreRefused()
    {
        using var engine = EngineFixture.Load();
        var updates = await EngineFixture.CollectAsync(engine.CompleteAsync("Once upon a time", EngineFixture.Greedy(5)));
        Assert.All(updates, u => Assert.Null(u.Logprobs));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() =>
            EngineFixture.CollectAsync(engine.CompleteAsync("Once", EngineFixture.Greedy(5) with { Logprobs = true, TopLogprobs = 21 })));
    }
}
