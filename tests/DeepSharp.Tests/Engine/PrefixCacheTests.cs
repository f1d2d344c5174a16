using DeepSharp.Chat;
using DeepSharp.Engine;

namespace DeepSharp.Tests.Engine;

/// <summary>
/// Context caching: a request reuses the KV rows of the longest token prefix it shares with an idle slot or a kept
/// prefix (in memory or on disk), reports the reused count as <see cref="ChatUsage.CachedPromptTokens"/>, and answers
/// exactly as an engine that evaluated everything.
/// </summary>
public sealed class PrefixCacheTests
{
    private static readonly ChatMessage s_system = ChatMessage.System(
        "You are a careful assistant. Answer every question briefly, check your arithmetic twice, and say so when you do not know.");

    private static ChatMessage[] Ask(string question) => [s_system, ChatMessage.User(question)];

    private static readonly ChatRequestOptions s_options = EngineFixture.Greedy(8);

    [Fact]
    public async Task ASecondRequestWithTheSameSystemPromptReusesItsRows()
    {
        using var engine = EngineFixture.Load();
        await EngineFixture.CollectAsync(engine.ChatAsync(Ask("What is 2+3?"), s_options));
        var second = await EngineFixture.CollectAsync(engine.ChatAsync(Ask("Name a colour."), s_options));

        int shared = SharedPrefix(engine, Ask("What is 2+3?"), Ask("Name a colour."));
        Assert.True(shared > 20, $"the system prompt should be a long shared prefix ({shared})");
        Assert.Equal(shared, second[^1].Usage!.Value.CachedPromptTokens);
        await AssertSameAsUncachedAsync(Ask("Name a colour."), second);
        Assert.Equal(shared, engine.Statistics.CachedPromptTokens);
    }

    /// <summary>A prefix pushed out of the only slot by an unrelated request is kept, and a later request copies its rows back.</summary>
    [Fact]
    public async Task AnEvictedPrefixIsKeptAndReused()
    {
        using var engine = EngineFixture.Load(new EngineOptions { MinPrefixTokens = 4 });
        await EngineFixture.CollectAsync(engine.ChatAsync(Ask("What is 2+3?"), s_options));
        var unrelated = await EngineFixture.CollectAsync(engine.CompleteAsync("Completely different text", s_options));
        Assert.Equal(1, unrelated[^1].Usage!.Value.CachedPromptTokens); // just the BOS token
        Assert.Equal(1, engine.Statistics.RetainedPrefixes);

        var third = await EngineFixture.CollectAsync(engine.ChatAsync(Ask("Name a colour."), s_options));
        Assert.Equal(SharedPrefix(engine, Ask("What is 2+3?"), Ask("Name a colour.")), third[^1].Usage!.Value.CachedPromptTokens);
        await AssertSameAsUncachedAsync(Ask("Name a colour."), third);
    }

    [Fact]
    public async Task KeptPrefixesSurviveARestartAndDamagedFilesAreIgnored()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"deepsharp-prefix-{Guid.NewGuid():N}");
        try
        {
            var options = new EngineOptions { PrefixCacheDirectory = folder };
            using (var first = EngineFixture.Load(options))
            {
                await EngineFixture.CollectAsync(first.ChatAsync(Ask("What is 2+3?"), s_options));
            }
            Assert.NotEmpty(Directory.GetFiles(folder, "*.dskv"));

            var log = new List<string>();
            using (var restarted = EngineFixture.Load(options with { Log = log.Add }))
            {
                Assert.Equal(1, restarted.Statistics.RetainedPrefixes);
                var reply = await EngineFixture.CollectAsync(restarted.ChatAsync(Ask("Name a colour."), s_options));
                Assert.Equal(SharedPrefix(restarted, Ask("What is 2+3?"), Ask("Name a colour.")), reply[^1].Usage!.Value.CachedPromptTokens);
                await AssertSameAsUncachedAsync(Ask("Name a colour."), reply);
            }
            Assert.Empty(log);

            // Damage every file in a different way: a flipped byte, a cut, another model's fingerprint.
            var files = Directory.GetFiles(folder, "*.dskv");
            Assert.True(files.Length >= 2, "both engines should have written their prefixes");
            byte[] bytes = File.ReadAllBytes(files[0]);
            bytes[bytes.Length / 2] ^= 0x40;
            File.WriteAllBytes(files[0], bytes);
            for (int i = 1; i < files.Length; i++)
            {
                bytes = File.ReadAllBytes(files[i]);
                File.WriteAllBytes(files[i], bytes[..(bytes.Length / 3)]);
            }
            File.WriteAllBytes(Path.Combine(folder, Path.GetFileName(files[0])[..17] + "0000000000000000.dskv"), "DSKV"u8.ToArray());
            log.Clear();
            using var damaged = EngineFixture.Load(options with { Log = log.Add });
            Assert.Equal(0, damaged.Statistics.RetainedPrefixes);
            Assert.Equal(files.Length + 1, log.Count(m => m.Contains("ignoring prefix cache file", StringComparison.Ordinal)));
            Assert.Contains(log, m => m.Contains("checksum", StringComparison.Ordinal));
            var fresh = await EngineFixture.CollectAsync(damaged.ChatAsync(Ask("Name a colour."), s_options));
            Assert.Equal(0, fresh[^1].Usage!.Value.CachedPromptTokens);
            await AssertSameAsUncachedAsync(Ask("Name a colour."), fresh);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AFileOfAnotherModelIsRefused()
    {
        string folder = Path.Combine(Path.GetTempPath(), $"deepsharp-prefix-{Guid.NewGuid():N}");
        string otherModel = Path.Combine(folder, "other.gguf");
        try
        {
            Directory.CreateDirectory(folder);
            DeepSharp.Fixtures.ModelFixtureWriter.Write(new DeepSharp.Fixtures.FixtureSpec("other", Tests.Inference.TinyModels.Config(), DeepSharp.Quantization.GgmlType.F32), otherModel);
            string cache = Path.Combine(folder, "cache");
            using (var other = ChatEngine.Load(otherModel, new EngineOptions { PrefixCacheDirectory = cache }))
            {
                await EngineFixture.CollectAsync(other.CompleteAsync("Once upon a time there was a little model that cached its prompts", s_options));
            }
            // Renamed to this model's fingerprint, the file still names the other model inside.
            using (var probe = EngineFixture.Load())
            {
                foreach (string file in Directory.GetFiles(cache, "*.dskv"))
                {
                    File.Move(file, Path.Combine(cache, $"{probe.Model.Fingerprint:x16}-{Path.GetFileName(file)[17..]}"));
                }
            }
            var log = new List<string>();
            using var engine = EngineFixture.Load(new EngineOptions { PrefixCacheDirectory = cache, Log = log.Add });
            Assert.Equal(0, engine.Statistics.RetainedPrefixes);
            Assert.Contains(log, m => m.Contains("another model", StringComparison.Ordinal));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static int SharedPrefix(ChatEngine engine, ChatMessage[] a, ChatMessage[] b)
    {
        int[] x = engine.Prompt.Encode(engine.Prompt.Render(a, thinking: true));
        int[] y = engine.Prompt.Encode(engine.Prompt.Render(b, thinking: true));
        int n = 0;
        while (n < Math.Min(x.Length, y.Length) - 1 && x[n] == y[n])
        {
            n++;
        }
        return n;
    }

    private static async Task AssertSameAsUncachedAsync(ChatMessage[] messages, List<ChatUpdate> cached)
    {
        using var uncached = EngineFixture.Load(new EngineOptions { PrefixCacheTokens = 0 });
        var expected = await EngineFixture.CollectAsync(uncached.ChatAsync(messages, s_options));
        Assert.Equal(0, expected[^1].Usage!.Value.CachedPromptTokens);
        Assert.Equal(expected.Select(u => (u.Kind, u.Text)), cached.Select(u => (u.Kind, u.Text)));
    }
}
