using DeepSharp.Compute;
using DeepSharp.Quantization;

namespace DeepSharp.PeerTests;

/// <summary>
/// Our llama, qwen2 and qwen3 forward passes give llama.cpp's logits on random-weight fixtures: 40 tokens evaluated
/// in batches of 16 (so later batches attend to cached earlier ones), logits of every position compared.
/// </summary>
[Trait("Category", "Slow")]
public sealed class DenseLogitTests(ITestOutputHelper output)
{
    /// <summary>
    /// F32 weights and cache on both sides: the same arithmetic up to summation order. Measured about 1e-6 of the
    /// spread; leaving out Llama-3.1's rope_freqs alone gives 1.4e-2, so the bound is tight enough to see it.
    /// </summary>
    [Theory]
    [MemberData(nameof(PeerFixtures.Variants), MemberType = typeof(PeerFixtures))]
    public void F32LogitsMatchLlamaCpp(string preset, string variant) =>
        Compare(preset, GgmlType.F32, KvCacheType.F32, variant, relativeTolerance: 1e-4f);

    /// <summary>
    /// Float weight types and the F16 cache. Both sides round activations to the weight's partner type, so the
    /// remaining differences come from roundings that land on the other side of a tie. Measured relative max
    /// differences: F16 3.3e-4, F16 + F16 cache 5.9e-4, BF16 + F16 cache 3.6e-3, F32 + F16 cache 1.1e-4.
    /// </summary>
    [Theory]
    [InlineData("tiny-llama", GgmlType.F16, KvCacheType.F32, 1e-3f)]
    [InlineData("tiny-qwen2", GgmlType.F16, KvCacheType.F16, 2e-3f)]
    [InlineData("tiny-qwen3", GgmlType.BF16, KvCacheType.F16, 1e-2f)]
    [InlineData("tiny-llama", GgmlType.F32, KvCacheType.F16, 5e-4f)]
    public void FloatTypesMatchLlamaCpp(string preset, GgmlType type, KvCacheType kv, float relativeTolerance) =>
        Compare(preset, type, kv, "", relativeTolerance);

    private void Compare(string preset, GgmlType type, KvCacheType kv, string variant, float relativeTolerance)
    {
        var c = LogitComparison.OfModel(PeerFixtures.Get(preset, type, variant), PeerFixtures.Tokens(40), kv);
        output.WriteLine($"{preset} {variant} {type}, KV {kv}: {c}");
        Assert.True(c.RelativeMaxDiff < relativeTolerance, c.ToString());
        Assert.Equal(0, c.Top1Mismatches);
        Assert.Equal(0, c.Top10RealMismatches);
    }
}
