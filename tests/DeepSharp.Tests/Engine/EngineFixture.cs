using DeepSharp.Engine;
using DeepSharp.Inference;
using DeepSharp.Inference.Sampling;

namespace DeepSharp.Tests.Engine;

/// <summary>The repository's random-weight model (R1 special tokens in its vocabulary, no chat template) for engine tests.</summary>
internal static class EngineFixture
{
    public static string ModelPath => Path.Combine(TestPaths.RepoRoot, "models", "tiny-random-qwen2.gguf");

    public static ChatEngine Load() => ChatEngine.Load(ModelPath);

    public static ChatEngine Load(EngineOptions options) => ChatEngine.Load(ModelPath, options);

    /// <summary>The greedy continuation of <paramref name="prompt"/> by the lower layers alone (fresh session, token generator, one-shot decode): the reference for the engine.</summary>
    public static (string Text, int Tokens) Reference(ChatEngine engine, int[] prompt, int maxTokens)
    {
        var steps = TokenGenerator.Generate(new InferenceSession(engine.Model), prompt,
            new GenerationOptions { MaxTokens = maxTokens, Sampling = SamplingOptions.Greedy, StopTokens = engine.Tokenizer.Vocabulary.EndOfGenerationIds }).ToArray();
        return (engine.Tokenizer.Decode(steps.Where(s => s.Finish != FinishReason.StopToken).Select(s => s.Token).ToArray()), steps.Length);
    }

    /// <summary>Polls until <paramref name="condition"/> holds (the loop thread frees slots between steps).</summary>
    public static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        for (int i = 0; i < 500 && !condition(); i++)
        {
            await Task.Delay(10);
        }
        Assert.True(condition(), what);
    }

    public static ChatRequestOptions Greedy(int maxTokens) => new() { Sampling = SamplingOptions.Greedy, MaxTokens = maxTokens };

    public static async Task<List<ChatUpdate>> CollectAsync(IAsyncEnumerable<ChatUpdate> updates, CancellationToken cancellationToken = default)
    {
        var list = new List<ChatUpdate>();
        await foreach (var update in updates.WithCancellation(cancellationToken))
        {
            list.Add(update);
        }
        return list;
    }

    public static string Text(IEnumerable<ChatUpdate> updates, ChatUpdateKind kind) =>
        string.Concat(updates.Where(u => u.Kind == kind).Select(u => u.Text));
}
