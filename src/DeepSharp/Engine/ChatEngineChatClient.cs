using System.Runtime.CompilerServices;
using DeepSharp.Inference;
using AI = Microsoft.Extensions.AI;

namespace DeepSharp.Engine;

/// <summary>
/// <see cref="AI.IChatClient"/> over a <see cref="ChatEngine"/>: streaming first (the non-streaming call collects the
/// stream), reasoning as <see cref="AI.TextReasoningContent"/>, usage and finish reason on the last update.
/// </summary>
internal sealed class ChatEngineChatClient(ChatEngine engine, ChatRequestOptions defaults, bool ownsEngine) : AI.IChatClient
{
    private readonly AI.ChatClientMetadata _metadata = new("deepsharp", null, engine.ModelId);

    public async Task<AI.ChatResponse> GetResponseAsync(IEnumerable<AI.ChatMessage> messages, AI.ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        await AI.ChatResponseExtensions.ToChatResponseAsync(GetStreamingResponseAsync(messages, options, cancellationToken), cancellationToken).ConfigureAwait(false);

    public async IAsyncEnumerable<AI.ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<AI.ChatMessage> messages, AI.ChatOptions? options = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var request = ChatClientOptionsMapper.ToRequest(options, defaults, this);
        var history = ChatClientOptionsMapper.ToMessages(messages, options);
        string responseId = Guid.NewGuid().ToString("N");
        var created = DateTimeOffset.UtcNow;
        await foreach (var update in engine.ChatAsync(history, request, cancellationToken).ConfigureAwait(false))
        {
            AI.AIContent content = update.Kind switch
            {
                ChatUpdateKind.Reasoning => new AI.TextReasoningContent(update.Text),
                ChatUpdateKind.Content => new AI.TextContent(update.Text),
                _ => new AI.UsageContent(Usage(update.Usage!.Value)),
            };
            yield return new AI.ChatResponseUpdate(AI.ChatRole.Assistant, [content])
            {
                ResponseId = responseId,
                MessageId = responseId,
                CreatedAt = created,
                ModelId = engine.ModelId,
                FinishReason = update.FinishReason is FinishReason reason ? Finish(reason) : null,
            };
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null)
        {
            return null;
        }
        if (serviceType == typeof(AI.ChatClientMetadata))
        {
            return _metadata;
        }
        foreach (object candidate in new object[] { engine, engine.Model, engine.Tokenizer, this })
        {
            if (serviceType.IsInstanceOfType(candidate))
            {
                return candidate;
            }
        }
        return null;
    }

    public void Dispose()
    {
        if (ownsEngine)
        {
            engine.Dispose();
        }
    }

    private static AI.UsageDetails Usage(ChatUsage usage) => new()
    {
        InputTokenCount = usage.PromptTokens,
        OutputTokenCount = usage.CompletionTokens,
        TotalTokenCount = usage.TotalTokens,
        CachedInputTokenCount = usage.CachedPromptTokens,
        ReasoningTokenCount = usage.ReasoningTokens,
    };

    private static AI.ChatFinishReason Finish(FinishReason reason) => reason switch
    {
        FinishReason.StopToken or FinishReason.StopString => AI.ChatFinishReason.Stop,
        _ => AI.ChatFinishReason.Length,
    };
}
