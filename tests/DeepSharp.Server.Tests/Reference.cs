using System.Text;
using DeepSharp.Chat;
using DeepSharp.Engine;

namespace DeepSharp.Server.Tests;

/// <summary>What the engine itself answers, run directly on a fresh engine: the yardstick for what the server relays.</summary>
internal sealed record Reference(string Reasoning, string Content, ChatUsage Usage)
{
    public static async Task<Reference> ChatAsync(IReadOnlyList<ChatMessage> messages, ChatRequestOptions options)
    {
        using var engine = TestModel.Load();
        var reasoning = new StringBuilder();
        var content = new StringBuilder();
        ChatUsage usage = default;
        await foreach (var update in engine.ChatAsync(messages, options))
        {
            _ = update.Kind switch
            {
                ChatUpdateKind.Reasoning => reasoning.Append(update.Text),
                ChatUpdateKind.Content => content.Append(update.Text),
                _ => null,
            };
            usage = update.Usage ?? usage;
        }
        return new Reference(reasoning.ToString(), content.ToString(), usage);
    }
}
