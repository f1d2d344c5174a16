using DeepSharp.Fixtures;
using DeepSharp.Models;
using DeepSharp.Quantization;

namespace DeepSharp.PeerTests;

/// <summary>Fixture files shared by the peer tests, written once per test run into a temp folder.</summary>
internal static class PeerFixtures
{
    // Deleted when the test process exits: every run writes about a gigabyte of fixtures, and a static is never disposed.
    private static readonly Lazy<TempDirectory> s_dir = new(() =>
    {
        var dir = new TempDirectory();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => dir.Dispose();
        return dir;
    });
    private static readonly Dictionary<string, string> s_paths = new();

    /// <summary>
    /// Standard deviation of the random weights: large enough that logits spread over several units, so the
    /// arg-max is not a near tie that rounding could flip.
    /// </summary>
    public const float WeightSigma = 0.1f;

    /// <summary>
    /// The path of the fixture for this preset and type (written on first use). Variants: "ropefreqs" (Llama-3.1
    /// rope_freqs), "tied" (no output.weight), "wide-heads" (head size 96, so heads × head size ≠ model width),
    /// "linear" (RoPE linear scaling ×2), "yarn" (YaRN ×4 from an original context of 128).
    /// </summary>
    public static string Get(string preset, GgmlType type, string variant = "")
    {
        string name = $"{preset}-{type}{(variant.Length > 0 ? "-" + variant : "")}";
        lock (s_paths)
        {
            if (!s_paths.TryGetValue(name, out string? path))
            {
                path = s_dir.Value.File(name + ".gguf");
                var config = FixturePresets.Get(preset);
                config = variant switch
                {
                    "" or "ropefreqs" => config,
                    "tied" => config with { TiedEmbeddings = true },
                    "wide-heads" => config with { KeyLength = 96, ValueLength = 96, RopeDimensionCount = 96 },
                    "linear" => config with { RopeScaling = new RopeScaling("linear", 2, config.ContextLength) },
                    "yarn" => config with { RopeScaling = new RopeScaling("yarn", 4, 128) },
                    _ => throw new ArgumentException($"unknown fixture variant '{variant}'", nameof(variant)),
                };
                var spec = new FixtureSpec(name, config, type, Seed: 11)
                {
                    WeightSigma = WeightSigma,
                    RopeFrequencyFactors = variant == "ropefreqs",
                };
                ModelFixtureWriter.Write(spec, path);
                s_paths[name] = path;
            }
            return path;
        }
    }

    /// <summary>Every (preset, variant) pair the F32 comparisons run on.</summary>
    public static TheoryData<string, string> Variants => new()
    {
        { "tiny-llama", "" },
        { "tiny-llama", "ropefreqs" },
        { "tiny-llama", "linear" },
        { "tiny-qwen2", "" },
        { "tiny-qwen2", "tied" },
        { "tiny-qwen3", "" },
        { "tiny-qwen3", "wide-heads" },
        { "tiny-qwen3", "yarn" },
    };

    /// <summary>
    /// The path of a deepseek2 fixture for this preset, weight type and KV layout (written on first use); sigmoid
    /// presets get the V3 router selection bias.
    /// </summary>
    public static string DeepSeek2(string preset, GgmlType type, MlaKvLayout layout)
    {
        string name = $"{preset}-{type}-{layout}";
        lock (s_paths)
        {
            if (!s_paths.TryGetValue(name, out string? path))
            {
                path = s_dir.Value.File(name + ".gguf");
                var config = FixturePresets.Get(preset);
                var spec = new FixtureSpec(name, config, type, Seed: 11)
                {
                    WeightSigma = WeightSigma,
                    KvLayout = layout,
                    RouterBias = config.Moe?.Gating == Models.ExpertGating.Sigmoid,
                };
                ModelFixtureWriter.Write(spec, path);
                s_paths[name] = path;
            }
            return path;
        }
    }

    /// <summary>A fixed, seeded token sequence of <paramref name="count"/> ordinary (non-special) ids.</summary>
    public static int[] Tokens(int count, int seed = 5)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => random.Next(0, 500)).ToArray();
    }
}
