using DeepSharp.Compute;
using DeepSharp.Fixtures;
using DeepSharp.Inference;
using DeepSharp.Inference.Sampling;
using DeepSharp.Models;
using DeepSharp.Quantization;

namespace DeepSharp.PeerTests;

/// <summary>
/// Greedy deepseek2 continuations equal llama.cpp's token for token on F32 fixtures: the prompt evaluated as a batch,
/// then each new token decoded alone against the latent cache (the absorbed form).
/// </summary>
[Trait("Category", "Slow")]
public sealed class DeepSeek2GreedyTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("tiny-deepseek2-lite", MlaKvLayout.Split)]
    [InlineData("tiny-deepseek2-lite", MlaKvLayout.Merged)]
    [InlineData("tiny-deepseek2-v3", MlaKvLayout.Split)]
    [InlineData("tiny-deepseek2-v3", MlaKvLayout.Merged)]
    public void ThirtyTwoGreedyTokensEqualLlamaCpp(string preset, MlaKvLayout layout)
    {
        string path = PeerFixtures.DeepSeek2(preset, GgmlType.F32, layout);
        int[] prompt = PeerFixtures.Tokens(12, seed: 23);
        int[] expected;
        using (var llama = LlamaCppReference.Load(path))
        {
            expected = llama.Greedy(prompt, 32);
        }
        using var model = TransformerModel.Load(path);
        var session = new InferenceSession(model, new SessionOptions { KvCacheType = KvCacheType.F32, BatchSize = 8 });
        var steps = TokenGenerator.Generate(session, prompt, new GenerationOptions { MaxTokens = 32, Sampling = SamplingOptions.Greedy }).ToArray();
        output.WriteLine($"{preset} {layout}: llama.cpp {string.Join(",", expected)}");
        output.WriteLine($"{preset} {layout}: ours      {string.Join(",", steps.Select(s => s.Token))}");
        Assert.Equal(expected, steps.Select(s => s.Token).ToArray());
        Assert.True(expected.Distinct().Count() > 4, "the reference continuation is degenerate; the comparison would prove little");
    }
}
