using DeepSharp.Cli;
using DeepSharp.Fixtures;

namespace DeepSharp.Tests.Cli;

public sealed class BenchCommandTests
{
    [Fact]
    public void ReportsTheLatentCacheTheExpertsAndTheBytesPerToken()
    {
        string path = Path.Combine(Path.GetTempPath(), $"deepsharp-bench-{Guid.NewGuid():N}.gguf");
        try
        {
            ModelFixtureWriter.Write(Models.TinyDeepSeek.Spec(v3: true), path);
            var output = new StringWriter();
            Assert.Equal(0, BenchCommand.Run(new BenchCommand.Settings(path, Prompt: 5, Tokens: 3, Context: 64, Fill: true, Threads: 1, KvF32: false), output));
            string text = output.ToString();
            // (kv_lora_rank 32 + rope 16) × 3 layers × 2 bytes per position.
            Assert.Contains("KV cache: 64 positions × 288 B", text, StringComparison.Ordinal);
            Assert.Contains("decode:   3 tokens at positions 61..63", text, StringComparison.Ordinal);
            Assert.Contains("experts:  2 chosen per token in each of 2 MoE layers", text, StringComparison.Ordinal);
            Assert.Matches(@"weights:  [0-9.]+ GiB read per token \([0-9,]+ B\)", text);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AContextBeyondTheModelsIsRefused()
    {
        string path = Path.Combine(Path.GetTempPath(), $"deepsharp-bench-{Guid.NewGuid():N}.gguf");
        try
        {
            ModelFixtureWriter.Write(Models.TinyDeepSeek.Spec(v3: false), path);
            var error = Assert.Throws<ArgumentException>(() => BenchCommand.Run(new BenchCommand.Settings(path, 4, 4, 100_000, false, 1, false), new StringWriter()));
            Assert.Contains("trained context", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
