using System.Diagnostics;
using System.Runtime.CompilerServices;
using DeepSharp.Engine;
using DeepSharp.Inference;

namespace DeepSharp.Server;

/// <summary>The steps every generating endpoint takes: admission, waiting for a slot, running the engine, counting.</summary>
internal static class GenerationFlow
{
    /// <summary>A place in the queue.</summary>
    /// <exception cref="ApiException">429 when the queue is full.</exception>
    public static AdmissionGate.Lease Admit(ServerState state) =>
        state.Gate.TryEnter() ?? throw ApiErrors.QueueFull(state.Gate.QueueCapacity);

    /// <summary>
    /// The engine's updates once the request holds a slot. The first text update's time is recorded as the time
    /// to first token, and the usage of the finished reply goes to the metrics.
    /// </summary>
    public static async IAsyncEnumerable<ChatUpdate> RunAsync(ServerState state, AdmissionGate.Lease lease, Func<CancellationToken, IAsyncEnumerable<ChatUpdate>> start,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await lease.WaitAsync(cancellationToken).ConfigureAwait(false);
        state.Metrics.RecordQueueWait(clock.Elapsed);
        bool first = true;
        await foreach (var update in start(cancellationToken).WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (first && update.Kind != ChatUpdateKind.Finished)
            {
                first = false;
                state.Metrics.RecordFirstToken(clock.Elapsed);
            }
            if (update.Usage is ChatUsage usage)
            {
                state.Metrics.RecordUsage(usage);
            }
            yield return update;
        }
    }

    /// <summary>The prompt's length in tokens; a conversation whose prompt alone fills the context is refused.</summary>
    /// <exception cref="ApiException">400 <c>context_length_exceeded</c>.</exception>
    public static int CountChatPrompt(ChatEngine engine, IReadOnlyList<DeepSharp.Chat.ChatMessage> messages, ChatRequestOptions options)
    {
        int tokens = engine.Prompt.Encode(engine.Prompt.Render(messages, options.Thinking, options.Tools)).Length;
        if (tokens >= engine.ContextLength)
        {
            throw ApiErrors.ContextExceeded($"This model's context holds {engine.ContextLength} tokens, but the messages come to {tokens} tokens; shorten them");
        }
        return tokens;
    }

    /// <summary>The request's token: cancelled when the client disconnects or the server shuts down.</summary>
    public static CancellationTokenSource Link(ServerState state, Microsoft.AspNetCore.Http.HttpContext context) =>
        CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, state.Stopping);

    /// <summary>OpenAI's <c>finish_reason</c> for the engine's.</summary>
    public static string FinishReasonName(FinishReason? reason) => reason switch
    {
        FinishReason.Length or FinishReason.ContextFull => "length",
        _ => "stop",
    };

    /// <summary>Seconds since the Unix epoch, OpenAI's <c>created</c>.</summary>
    public static long Now() => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}
