using DeepSharp.Compute;
using DeepSharp.Quantization;

namespace DeepSharp.PeerTests;

/// <summary>
/// Quantized weights against llama.cpp. Both sides quantize each activation row to the format's dot type and
/// take the same integer dot products (<see cref="GgmlKernelTests"/> checks that row by row), so what remains are
/// float summation-order differences of about 1e-7..1e-5 per dot product. Those are enough to flip a few roundings in
/// the next activation quantization, and each flip moves a Q8 code by one step: a 1e-6 relative nudge of the
/// normalised activations changes these random-weight models' logits by 1–2 % of their spread. So the bounds are
/// a few percent of the spread, and top-1 / top-10 must agree except where the reference itself has a near-tie
/// (closer than twice the position's largest difference).
/// </summary>
[Trait("Category", "Slow")]
public sealed class QuantLogitTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("tiny-llama", GgmlType.Q8_0)]
    [InlineData("tiny-qwen2", GgmlType.Q8_0)]
    [InlineData("tiny-qwen3", GgmlType.Q8_0)]
    [InlineData("tiny-llama", GgmlType.Q4_0)]
    [InlineData("tiny-qwen2", GgmlType.Q4_0)]
    [InlineData("tiny-qwen3", GgmlType.Q4_0)]
    [InlineData("tiny-llama", GgmlType.Q4_K)]
    [InlineData("tiny-qwen2", GgmlType.Q4_K)]
    [InlineData("tiny-qwen3", GgmlType.Q4_K)]
    [InlineData("tiny-llama", GgmlType.Q5_K)]
    [InlineData("tiny-qwen2", GgmlType.Q5_K)]
    [InlineData("tiny-qwen3", GgmlType.Q5_K)]
    [InlineData("tiny-llama", GgmlType.Q6_K)]
    [InlineData("tiny-qwen2", GgmlType.Q6_K)]
    [InlineData("tiny-qwen3", GgmlType.Q6_K)]
    [InlineData("tiny-llama", GgmlType.Q4_1)]
    [InlineData("tiny-qwen2", GgmlType.Q5_0)]
    [InlineData("tiny-qwen3", GgmlType.Q5_1)]
    [InlineData("tiny-llama", GgmlType.Q2_K)]
    [InlineData("tiny-qwen2", GgmlType.Q3_K)]
    [InlineData("tiny-qwen3", GgmlType.IQ4_NL)]
    [InlineData("tiny-llama", GgmlType.IQ4_XS)]
    public void QuantizedLogitsMatchLlamaCpp(string preset, GgmlType type) => Compare(preset, type, KvCacheType.F32);

    /// <summary>The default F16 cache on both sides, with quantized weights.</summary>
    [Theory]
    [InlineData("tiny-qwen2", GgmlType.Q4_K)]
    [InlineData("tiny-llama", GgmlType.Q8_0)]
    public void QuantizedLogitsWithF16CacheMatchLlamaCpp(string preset, GgmlType type) => Compare(preset, type, KvCacheType.F16);

    private void Compare(string preset, GgmlType type, KvCacheType kv)
    {
        var c = LogitComparison.OfModel(PeerFixtures.Get(preset, type), PeerFixtures.Tokens(40), kv);
        output.WriteLine($"{preset} {type}, KV {kv}: {c}");
        Assert.True(c.RelativeMaxDiff < 0.05f, c.ToString());
        Assert.Equal(0, c.Top1RealMismatches);
        Assert.Equal(0, c.Top10RealMismatches);
    }
}
