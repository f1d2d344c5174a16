using DeepSharp.Cli;
using DeepSharp.Fixtures;

namespace DeepSharp.Tests.Cli;

public sealed class BenchCommandTests
{
    [Fact]
    public void ReportsTheLatentCacheTheExpertsAndTheBytesPerToken() => WithTinyDeepSeek(v3: true, path =>
    {
        var output = new StringWriter();
        Assert.Equal(0, BenchCommand.Run(new BenchCommand.Settings(path, Prompt: 5, Tokens: 3, Context: 64, Fill: true, Threads: 1, KvF32: false), output));
        string text = output.ToString();
        // (kv_lora_rank 32 + rope 16) × 3 layers × 2 bytes per position.
        Assert.Contains("KV cache: 64 positions × 288 B", text, StringComparison.Ordinal);
        Assert.Contains("decode 3 tokens at positions 61..63", text, StringComparison.Ordinal);
        Assert.Contains("experts:  2 chosen per token in each of 2 MoE layers", text, StringComparison.Ordinal);
        Assert.Matches(@"weights:  [0-9.]+ GiB read per token \([0-9,]+ B\)", text);
    });

    [Fact]
    public void JsonIsOneObjectWithTheSpeedsTheMediansComeFrom() => WithTinyDeepSeek(v3: false, path =>
    {
        var output = new StringWriter();
        var settings = new BenchCommand.Settings(path, Prompt: 6, Tokens: 4, Context: 0, Fill: false, Threads: 2, KvF32: false)
        {
            Repetitions = 3, Batch = 4, Json = true,
        };
        Assert.Equal(0, BenchCommand.Run(settings, output));

        using var json = System.Text.Json.JsonDocument.Parse(output.ToString());
        var root = json.RootElement;
        Assert.Equal(System.Text.Json.JsonValueKind.Object, root.ValueKind);
        Assert.Equal(6, root.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(4, root.GetProperty("gen_tokens").GetInt32());
        Assert.Equal(2, root.GetProperty("threads").GetInt32());
        var runs = root.GetProperty("runs").EnumerateArray().ToArray();
        Assert.Equal(3, runs.Length);
        foreach (string key in (string[])["prefill_tokens_per_second", "decode_tokens_per_second", "time_to_first_token_ms"])
        {
            double median = root.GetProperty(key).GetDouble();
            Assert.True(median > 0, key);
            // The median of three runs is one of them, neither the fastest nor the slowest strictly.
            var values = runs.Select(r => r.GetProperty(key).GetDouble()).Order().ToArray();
            Assert.Equal(values[1], median);
        }
        Assert.True(root.GetProperty("peak_working_set_bytes").GetInt64() > 0);
        Assert.True(root.GetProperty("private_bytes").GetInt64() > 0);
        Assert.True(root.GetProperty("weight_bytes_per_token").GetInt64() > 0);
    });

    [Fact]
    public void BandwidthGivesTheBoundAndTheShareOfIt() => WithTinyDeepSeek(v3: false, path =>
    {
        var output = new StringWriter();
        var settings = new BenchCommand.Settings(path, Prompt: 4, Tokens: 4, Context: 0, Fill: false, Threads: 2, KvF32: false)
        {
            Repetitions = 3, Json = true, Bandwidth = true, BandwidthBytes = 8L << 20,
        };
        Assert.Equal(0, BenchCommand.Run(settings, output));

        using var json = System.Text.Json.JsonDocument.Parse(output.ToString());
        var root = json.RootElement;
        double bytesPerSecond = root.GetProperty("memory_bandwidth_bytes_per_second").GetDouble();
        long bytesPerToken = root.GetProperty("weight_bytes_per_token").GetInt64();
        Assert.True(bytesPerSecond > 0);
        Assert.Equal(bytesPerSecond / bytesPerToken, root.GetProperty("decode_bound_tokens_per_second").GetDouble(), 6);
        var runs = root.GetProperty("runs").EnumerateArray().ToArray();
        var shares = runs.Select(r => r.GetProperty("decode_share_of_bound").GetDouble()).Order().ToArray();
        foreach (var run in runs)
        {
            // Each run's share is its own decode rate over the bound of the bandwidth measured around it.
            double expected = run.GetProperty("decode_tokens_per_second").GetDouble() * bytesPerToken / run.GetProperty("memory_bandwidth_bytes_per_second").GetDouble();
            Assert.Equal(expected, run.GetProperty("decode_share_of_bound").GetDouble(), 9);
        }
        Assert.Equal(shares[1], root.GetProperty("decode_share_of_bound").GetDouble());

        var text = new StringWriter();
        Assert.Equal(0, BenchCommand.Run(settings with { Json = false }, text));
        Assert.Matches(@"bound:    [0-9.]+ GB/s read by 2 thread\(s\) .* decode reached [0-9.]+ % of it", text.ToString());
    });

    [Fact]
    public void AContextBeyondTheModelsIsRefused() => WithTinyDeepSeek(v3: false, path =>
    {
        var error = Assert.Throws<ArgumentException>(() => BenchCommand.Run(new BenchCommand.Settings(path, 4, 4, 100_000, false, 1, false), new StringWriter()));
        Assert.Contains("trained context", error.Message, StringComparison.Ordinal);
    });

    /// <summary>Runs <paramref name="test"/> on a tiny DeepSeek-V2 (or V3) fixture written to a temporary file.</summary>
    private static void WithTinyDeepSeek(bool v3, Action<string> test)
    {
        string path = Path.Combine(Path.GetTempPath(), $"deepsharp-bench-{Guid.NewGuid():N}.gguf");
        try
        {
            ModelFixtureWriter.Write(Models.TinyDeepSeek.Spec(v3), path);
            test(path);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
