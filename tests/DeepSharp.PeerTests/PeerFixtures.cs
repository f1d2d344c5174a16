using DeepSharp.Fixtures;
using DeepSharp.Quantization;

namespace DeepSharp.PeerTests;

/// <summary>Fixture files shared by the peer tests, written once per test run into a temp folder.</summary>
internal static class PeerFixtures
{
    private static readonly Lazy<TempDirectory> s_dir = new(() => new TempDirectory());
    private static readonly Dictionary<string, string> s_paths = new();

    /// <summary>
    /// Standard deviation of the random weights: large enough that logits spread over several units, so the
    /// arg-max is not a near tie that rounding could flip.
    /// </summary>
    public const float WeightSigma = 0.1f;

    /// <summary>The path of the fixture for this preset and type (written on first use).</summary>
    public static string Get(string preset, GgmlType type, bool ropeFrequencyFactors = false)
    {
        string name = $"{preset}-{type}{(ropeFrequencyFactors ? "-ropefreqs" : "")}";
        lock (s_paths)
        {
            if (!s_paths.TryGetValue(name, out string? path))
            {
                path = s_dir.Value.File(name + ".gguf");
                var spec = new FixtureSpec(name, FixturePresets.Get(preset), type, Seed: 11)
                {
                    WeightSigma = WeightSigma,
                    RopeFrequencyFactors = ropeFrequencyFactors,
                };
                ModelFixtureWriter.Write(spec, path);
                s_paths[name] = path;
            }
            return path;
        }
    }

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
