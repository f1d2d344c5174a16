using DeepSharp.Models;

namespace DeepSharp.Fixtures;

/// <summary>
/// Named model shapes for fixtures: tiny ones for tests (dimensions that K-quant blocks of 256 divide) and the
/// real sizes of DeepSeek-R1-Distill-Qwen-1.5B and DeepSeek-V2-Lite (FACTS.md §6) for benchmarks.
/// </summary>
public static class FixturePresets
{
    private static readonly Dictionary<string, ModelConfig> s_presets = new(StringComparer.OrdinalIgnoreCase)
    {
        ["tiny-llama"] = Dense(ModelArchitecture.Llama),
        ["tiny-qwen2"] = Dense(ModelArchitecture.Qwen2) with { QkvBias = true },
        ["tiny-qwen3"] = Dense(ModelArchitecture.Qwen3) with { QkNorm = true },
        // llama.cpp recognises the V2-Lite variant (no q_lora, plain attn_q) only by its layer count of 27 and
        // otherwise demands attention.q_lora_rank and attn_q_a; the narrow experts (128, which K-quant blocks do
        // not divide, as V2-Lite's 1408) keep 27 layers small.
        ["tiny-deepseek2-lite"] = TinyDeepSeek(layers: 27, qLoraRank: 0, expertWidth: 128, ExpertGating.Softmax, groups: 1, groupsUsed: 1, normalize: false, scale: 1f),
        ["tiny-deepseek2-v3"] = TinyDeepSeek(layers: 3, qLoraRank: 256, expertWidth: 256, ExpertGating.Sigmoid, groups: 4, groupsUsed: 2, normalize: true, scale: 2.5f),
        ["qwen2-1.5b"] = new ModelConfig
        {
            Architecture = ModelArchitecture.Qwen2,
            VocabSize = 151936,
            EmbeddingLength = 1536,
            LayerCount = 28,
            FeedForwardLength = 8960,
            HeadCount = 12,
            KeyValueHeadCount = 2,
            KeyLength = 128,
            ValueLength = 128,
            ContextLength = 131072,
            RmsNormEpsilon = 1e-6f,
            RopeFreqBase = 10000,
            RopeDimensionCount = 128,
            RopeNeox = true,
            QkvBias = true,
        },
        ["deepseek-v2-lite"] = new ModelConfig
        {
            Architecture = ModelArchitecture.DeepSeek2,
            VocabSize = 102400,
            EmbeddingLength = 2048,
            LayerCount = 27,
            FeedForwardLength = 10944,
            HeadCount = 16,
            KeyValueHeadCount = 1,
            KeyLength = 576,
            ValueLength = 512,
            ContextLength = 163840,
            RmsNormEpsilon = 1e-6f,
            RopeFreqBase = 10000,
            RopeDimensionCount = 64,
            RopeNeox = false,
            RopeScaling = new RopeScaling("yarn", 40, 4096, 32, 1, 0.0707),
            Mla = new MlaConfig(0, 512, 64, 128, 128),
            Moe = new MoeConfig(64, 6, 2, 1408, 1, ExpertGating.Softmax, false, 1f, 1, 1),
        },
    };

    /// <summary>The names of every preset.</summary>
    public static IReadOnlyCollection<string> Names => s_presets.Keys;

    /// <summary>The configuration of a preset.</summary>
    /// <exception cref="ArgumentException">No preset has this name.</exception>
    public static ModelConfig Get(string name) =>
        s_presets.TryGetValue(name, out var config)
            ? config
            : throw new ArgumentException($"unknown fixture preset '{name}' (known: {string.Join(", ", s_presets.Keys)})", nameof(name));

    private static ModelConfig Dense(ModelArchitecture architecture) => new()
    {
        Architecture = architecture,
        VocabSize = 512,
        EmbeddingLength = 256,
        LayerCount = 2,
        FeedForwardLength = 512,
        HeadCount = 4,
        KeyValueHeadCount = 2,
        KeyLength = 64,
        ValueLength = 64,
        ContextLength = 512,
        RmsNormEpsilon = 1e-5f,
        RopeFreqBase = 10000,
        RopeDimensionCount = 64,
        RopeNeox = architecture is ModelArchitecture.Qwen2 or ModelArchitecture.Qwen3,
    };

    private static ModelConfig TinyDeepSeek(
        int layers, int qLoraRank, int expertWidth, ExpertGating gating, int groups, int groupsUsed, bool normalize, float scale) => new()
    {
        Architecture = ModelArchitecture.DeepSeek2,
        VocabSize = 512,
        EmbeddingLength = 256,
        LayerCount = layers,
        FeedForwardLength = 512,
        HeadCount = 4,
        KeyValueHeadCount = 1,
        KeyLength = 256 + 32,
        ValueLength = 256,
        ContextLength = 512,
        RmsNormEpsilon = 1e-6f,
        RopeFreqBase = 10000,
        RopeDimensionCount = 32,
        RopeNeox = false,
        RopeScaling = new RopeScaling("yarn", 4, 128, 32, 1, 0.0707),
        Mla = new MlaConfig(qLoraRank, 256, 32, 64, 64),
        Moe = new MoeConfig(8, 2, 1, expertWidth, 1, gating, normalize, scale, groups, groupsUsed),
    };
}
