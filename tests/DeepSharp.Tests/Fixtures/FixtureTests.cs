using DeepSharp.Fixtures;
using DeepSharp.Formats.Gguf;
using DeepSharp.Inspection;
using DeepSharp.Models;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Fixtures;

public sealed class FixtureTests
{
    private static GgufFile WriteAndOpen(FixtureSpec spec)
    {
        var stream = new MemoryStream();
        ModelFixtureWriter.CreateWriter(spec).WriteTo(stream);
        return GgufFile.FromBytes(stream.ToArray());
    }

    public static TheoryData<string> TinyPresets() => new(FixturePresets.Names.Where(n => n.StartsWith("tiny-", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(TinyPresets))]
    public void ConfigurationSurvivesTheFile(string preset)
    {
        var config = FixturePresets.Get(preset);
        using var file = WriteAndOpen(new FixtureSpec(preset, config, GgmlType.Q8_0) { RouterBias = config.Moe?.Gating == ExpertGating.Sigmoid });
        var read = GgufModelConfigReader.Read(file);
        Assert.Equal(config with { RopeScaling = read.RopeScaling }, read);
        Assert.Equal(config.RopeScaling.Kind, read.RopeScaling.Kind);
        Assert.Equal(config.RopeScaling.Factor, read.RopeScaling.Factor, 5);
        Assert.Equal(config.RopeScaling.YarnLogMultiplier, read.RopeScaling.YarnLogMultiplier, 5);
        Assert.Equal(FixtureTensorPlan.For(new FixtureSpec(preset, config, GgmlType.Q8_0) { RouterBias = config.Moe?.Gating == ExpertGating.Sigmoid }).Count, file.Tensors.Count);
    }

    [Fact]
    public void SameSeedSameFileOtherSeedOtherWeights()
    {
        var spec = new FixtureSpec("t", FixturePresets.Get("tiny-llama"), GgmlType.Q4_K, Seed: 3);
        byte[] Bytes(FixtureSpec s)
        {
            var m = new MemoryStream();
            ModelFixtureWriter.CreateWriter(s).WriteTo(m);
            return m.ToArray();
        }
        byte[] a = Bytes(spec), b = Bytes(spec), c = Bytes(spec with { Seed = 4 });
        Assert.Equal(a, b);
        Assert.Equal(a.Length, c.Length);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void MlaKvLayoutsHaveTheirTensors()
    {
        var config = FixturePresets.Get("tiny-deepseek2-lite");
        using var split = WriteAndOpen(new FixtureSpec("s", config, GgmlType.F32) { KvLayout = MlaKvLayout.Split });
        using var merged = WriteAndOpen(new FixtureSpec("m", config, GgmlType.F32) { KvLayout = MlaKvLayout.Merged });
        Assert.Equal([64L, 256, 4], split.GetTensor("blk.0.attn_k_b.weight").Dimensions);
        Assert.Equal([256L, 64, 4], split.GetTensor("blk.0.attn_v_b.weight").Dimensions);
        Assert.False(split.TryGetTensor("blk.0.attn_kv_b.weight", out _));
        Assert.Equal([256L, 4 * (64 + 64)], merged.GetTensor("blk.0.attn_kv_b.weight").Dimensions);
        Assert.Equal(1, split.Metadata.GetInt64("deepseek2.attention.head_count_kv"));
        Assert.Equal(4, merged.Metadata.GetInt64("deepseek2.attention.head_count_kv"));
        // Both layouts describe the same MLA dimensions.
        Assert.Equal(GgufModelConfigReader.Read(split).Mla, GgufModelConfigReader.Read(merged).Mla);
    }

    [Theory]
    [InlineData(GgmlType.Q4_K, 256, GgmlType.Q4_K)]
    [InlineData(GgmlType.Q4_K, 1408, GgmlType.Q5_0)]
    [InlineData(GgmlType.Q5_K, 128, GgmlType.Q5_1)]
    [InlineData(GgmlType.Q6_K, 64, GgmlType.Q8_0)]
    [InlineData(GgmlType.Q2_K, 96, GgmlType.IQ4_NL)]
    [InlineData(GgmlType.Q4_0, 48, GgmlType.F16)]
    public void RowsTheBlockDoesNotDivideFallBackLikeLlamaQuantize(GgmlType requested, long row, GgmlType expected) =>
        Assert.Equal(expected, QuantTypeFallback.For(requested, row));

    /// <summary>The plans of the real-size presets reproduce the published parameter counts (FACTS.md §6).</summary>
    [Theory]
    // Active parameters here exclude the token embedding (a lookup, not compute), as the published
    // 2.4B for V2-Lite does; for a dense model that is total minus the 0.23B embedding.
    [InlineData("qwen2-1.5b", 1.777e9, 1.544e9, 28 * 1024)]
    [InlineData("deepseek-v2-lite", 15.7e9, 2.4e9, 31_104)]
    public void RealSizePresetsMatchPublishedModels(string preset, double total, double active, long kvBytes)
    {
        var config = FixturePresets.Get(preset);
        var plan = FixtureTensorPlan.For(new FixtureSpec(preset, config, GgmlType.Q4_K));
        long totalParams = plan.Sum(t => t.Dimensions.Aggregate(1L, (a, d) => a * d));
        long routed = plan.Where(t => t.Name.Contains("_exps.", StringComparison.Ordinal)).Sum(t => t.Dimensions.Aggregate(1L, (a, d) => a * d));
        long embedding = (long)config.EmbeddingLength * config.VocabSize;
        long activeParams = (config.Moe is { } moe ? totalParams - routed + routed / moe.ExpertCount * moe.ExpertsPerToken : totalParams) - embedding;
        Assert.Equal(total, totalParams, total * 0.01);
        Assert.Equal(active, activeParams, active * 0.03);
        Assert.Equal(kvBytes, config.KvBytesPerToken(2));
    }

    [Fact]
    public void SyntheticVocabularyIsAConsistentBpe()
    {
        var vocab = SyntheticVocabulary.Create(2000, 9);
        Assert.Equal(2000, vocab.Tokens.Count);
        Assert.Equal(vocab.Tokens.Count, vocab.Tokens.Distinct().Count());
        var known = vocab.Tokens.ToHashSet();
        foreach (string merge in vocab.Merges)
        {
            string[] parts = merge.Split(' ');
            Assert.Equal(2, parts.Length);
            Assert.Contains(parts[0], known);
            Assert.Contains(parts[1], known);
            Assert.Contains(parts[0] + parts[1], known);
        }
        Assert.Equal("<｜begin▁of▁sentence｜>", vocab.Tokens[vocab.BosId]);
        Assert.Equal("<｜end▁of▁sentence｜>", vocab.Tokens[vocab.EosId]);
        // GPT-2's byte alphabet: 'A' stands for itself, the space byte for 'Ġ', newline for 'Ċ'.
        Assert.Equal("A", vocab.Tokens['A']);
        Assert.Equal("Ġ", vocab.Tokens[' ']);
        Assert.Equal("Ċ", vocab.Tokens['\n']);
    }

    [Fact]
    public void SummaryCountsActiveParametersOfMoe()
    {
        var config = FixturePresets.Get("tiny-deepseek2-lite");
        using var file = WriteAndOpen(new FixtureSpec("d", config, GgmlType.Q8_0));
        var s = ModelSummary.Of(file);
        long expertParams = 3L * 256 * 128 * 8 * 26; // gate+up+down of width 128, 8 experts, 26 MoE layers
        Assert.Equal(expertParams - expertParams / 8 * 2, s.TotalParameters - s.ActiveParameters);
        Assert.Equal((256 + 32) * 27 * 2, s.KvBytesPerToken);
        Assert.Empty(s.UnsupportedTensors);
    }
}
