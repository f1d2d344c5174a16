using DeepSharp.Compute;
using DeepSharp.Fixtures;
using DeepSharp.Inference;
using DeepSharp.Models;
using DeepSharp.Quantization;

namespace DeepSharp.PeerTests;

/// <summary>
/// Our deepseek2 forward pass (MLA + DeepSeekMoE) gives llama.cpp's logits on random-weight fixtures: a V2-Lite-like
/// model (27 layers, plain query projection, softmax routing) and a V3-like one (compressed queries, sigmoid routing
/// with selection bias, expert groups, normalised and scaled weights), each with split and merged KV up-projections.
/// 40 tokens in batches of 16, logits of every position compared.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DeepSeek2LogitTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("tiny-deepseek2-lite", MlaKvLayout.Split)]
    [InlineData("tiny-deepseek2-lite", MlaKvLayout.Merged)]
    [InlineData("tiny-deepseek2-v3", MlaKvLayout.Split)]
    [InlineData("tiny-deepseek2-v3", MlaKvLayout.Merged)]
    public void F32LogitsMatchLlamaCpp(string preset, MlaKvLayout layout) =>
        Compare(preset, GgmlType.F32, layout, KvCacheType.F32, relativeTolerance: 1e-4f);

    private void Compare(string preset, GgmlType type, MlaKvLayout layout, KvCacheType kv, float relativeTolerance)
    {
        string path = PeerFixtures.DeepSeek2(preset, type, layout);
        int[] tokens = PeerFixtures.Tokens(40);
        float[][] reference;
        using (var llama = LlamaCppReference.Load(path))
        {
            reference = llama.Logits(tokens, kvF32: kv == KvCacheType.F32);
        }
        using var model = TransformerModel.Load(path);
        var session = new InferenceSession(model, new SessionOptions { KvCacheType = kv, BatchSize = 16 });
        var c = LogitComparison.Of(session.EvaluateAll(tokens), reference);
        output.WriteLine($"{preset} {layout} {type}, KV {kv}: {c}");
        Assert.True(c.RelativeMaxDiff < relativeTolerance, c.ToString());
        Assert.Equal(0, c.Top1Mismatches);
        Assert.Equal(0, c.Top10RealMismatches);
    }
}
