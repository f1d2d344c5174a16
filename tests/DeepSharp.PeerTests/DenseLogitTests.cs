using DeepSharp.Compute;
using DeepSharp.Inference;
using DeepSharp.Models;
using DeepSharp.Quantization;

namespace DeepSharp.PeerTests;

/// <summary>Our llama, qwen2 and qwen3 forward passes give llama.cpp's logits on random-weight fixtures.</summary>
[Trait("Category", "Slow")]
public sealed class DenseLogitTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("tiny-llama", false)]
    [InlineData("tiny-llama", true)]
    [InlineData("tiny-qwen2", false)]
    [InlineData("tiny-qwen3", false)]
    public void F32LogitsMatchLlamaCpp(string preset, bool ropeFrequencyFactors)
    {
        string path = PeerFixtures.Get(preset, GgmlType.F32, ropeFrequencyFactors);
        int[] tokens = PeerFixtures.Tokens(40);
        float[][] reference;
        using (var llama = LlamaCppReference.Load(path))
        {
            reference = llama.Logits(tokens, kvF32: true);
        }
        using var model = TransformerModel.Load(path);
        var session = new InferenceSession(model, new SessionOptions { KvCacheType = KvCacheType.F32, BatchSize = 16 });
        var ours = session.EvaluateAll(tokens);
        var c = LogitComparison.Of(ours, reference);
        output.WriteLine($"{preset}{(ropeFrequencyFactors ? " +rope_freqs" : "")} F32: {c}");
        // Measured about 1e-6; ignoring rope_freqs alone gives 1.4e-2.
        Assert.True(c.RelativeMaxDiff < 1e-4f, c.ToString());
        Assert.Equal(0, c.Top1Mismatches);
    }
}
