using DeepSharp.Engine;
using DeepSharp.Inference.Sampling;

namespace DeepSharp.Tests.Engine;

/// <summary>The repository's random-weight model (R1 special tokens in its vocabulary, no chat template) for engine tests.</summary>
internal static class EngineFixture
{
    public static string ModelPath => Path.Combine(TestPaths.RepoRoot, "models", "tiny-random-qwen2.gguf");

    public static ChatEngine Load() => ChatEngine.Load(ModelPath);

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
