using DeepSharp.Compute;
using DeepSharp.Fixtures;
using DeepSharp.Inference;
using DeepSharp.Inference.Sampling;
using DeepSharp.Models;
using DeepSharp.Quantization;

namespace DeepSharp.PeerTests;

/// <summary>
/// Greedy continuations equal llama.cpp's token for token: the prompt is evaluated as a batch, then each new token
/// on its own against the cache, on both sides (for deepseek2: the absorbed form over the latent cache).
/// </summary>
[Trait("Category", "Slow")]
public sealed class GreedyGenerationTests(ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(PeerFixtures.Variants), MemberType = typeof(PeerFixtures))]
    public void ThirtyTwoGreedyTokensEqualLlamaCpp(string preset, string variant) =>
        Compare(PeerFixtures.Get(preset, GgmlType.F32, variant), $"{preset} {variant}");

    [Theory]
    [InlineData("tiny-deepseek2-lite", MlaKvLayout.Split)]
    [InlineData("tiny-deepseek2-lite", MlaKvLayout.Merged)]
    [InlineData("tiny-deepseek2-v3", MlaKvLayout.Split)]
    [InlineData("tiny-deepseek2-v3", MlaKvLayout.Merged)]
    public void DeepSeek2GreedyTokensEqualLlamaCpp(string preset, MlaKvLayout layout) =>
        Compare(PeerFixtures.DeepSeek2(preset, GgmlType.F32, layout), $"{preset} {layout}");

    private void Compare(string path, string label)
    {
        int[] prompt = PeerFixtures.Tokens(12, seed: 23);
        int[] expected;
        using (var llama = LlamaCppReference.Load(path))
        {
            expected = llama.Greedy(prompt, 32);
        }
        using var model = TransformerModel.Load(path);
        var session = new InferenceSession(model, new SessionOptions { KvCacheType = KvCacheType.F32, BatchSize = 8 });
        var steps = TokenGenerator.Generate(session, prompt, new GenerationOptions { MaxTokens = 32, Sampling = SamplingOptions.Greedy }).ToArray();
        output.WriteLine($"{label}: llama.cpp {string.Join(",", expected)}");
        output.WriteLine($"{label}: ours      {string.Join(",", steps.Select(s => s.Token))}");
        Assert.Equal(expected, steps.Select(s => s.Token).ToArray());
        Assert.Equal(FinishReason.Length, steps[^1].Finish);
        Assert.True(expected.Distinct().Count() > 4, "the reference continuation is degenerate; the comparison would prove little");
    }
}
