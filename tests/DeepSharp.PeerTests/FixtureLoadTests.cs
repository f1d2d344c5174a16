using DeepSharp.Fixtures;
using DeepSharp.Quantization;

namespace DeepSharp.PeerTests;

/// <summary>llama.cpp accepts every fixture preset our writer makes and evaluates it to finite logits.</summary>
[Trait("Category", "Slow")]
public sealed class FixtureLoadTests
{
    public static TheoryData<string, MlaKvLayout, bool> Presets => new()
    {
        { "tiny-llama", MlaKvLayout.Split, false },
        { "tiny-llama", MlaKvLayout.Split, true },
        { "tiny-qwen2", MlaKvLayout.Split, false },
        { "tiny-qwen3", MlaKvLayout.Split, false },
        { "tiny-deepseek2-lite", MlaKvLayout.Split, false },
        { "tiny-deepseek2-lite", MlaKvLayout.Merged, false },
        { "tiny-deepseek2-v3", MlaKvLayout.Split, false },
        { "tiny-deepseek2-v3", MlaKvLayout.Merged, false },
    };

    [Theory]
    [MemberData(nameof(Presets))]
    public void LlamaCppLoadsAndEvaluatesPreset(string preset, MlaKvLayout layout, bool ropeFrequencyFactors)
    {
        using var dir = new TempDirectory();
        string path = dir.File(preset + ".gguf");
        var config = FixturePresets.Get(preset);
        var spec = new FixtureSpec(preset, config, GgmlType.F32, Seed: 7)
        {
            KvLayout = layout,
            RopeFrequencyFactors = ropeFrequencyFactors,
            RouterBias = config.Moe?.Gating == Models.ExpertGating.Sigmoid,
        };
        ModelFixtureWriter.Write(spec, path);

        using var reference = LlamaCppReference.Load(path);
        Assert.Equal(config.VocabSize, reference.VocabSize);
        var logits = reference.Logits([1, 2, 3, 4, 5]);
        Assert.Equal(5, logits.Length);
        foreach (var row in logits)
        {
            Assert.All(row, v => Assert.True(float.IsFinite(v), "llama.cpp produced a non-finite logit"));
            Assert.True(row.Max() - row.Min() > 0.1f, "logits are flat: the model computed nothing");
        }
    }
}
