namespace DeepSharp.Engine;

/// <summary>A consistent snapshot of a <see cref="ChatEngine"/>'s load and counters (for a server's <c>/metrics</c>).</summary>
/// <param name="Slots">Parallel sequence slots.</param>
/// <param name="ActiveSlots">Slots serving a request now.</param>
/// <param name="QueuedRequests">Requests waiting for a slot.</param>
/// <param name="KvPositionsUsed">KV cache positions held by the requests being served.</param>
/// <param name="KvPositionsTotal">KV cache positions of all slots together.</param>
/// <param name="RetainedPrefixes">Token prefixes kept (with their KV rows) for later requests, besides the slots' own.</param>
/// <param name="RetainedPrefixTokens">Positions those prefixes hold.</param>
/// <param name="PromptTokens">Prompt tokens of all admitted requests so far.</param>
/// <param name="CachedPromptTokens">Of those, tokens whose KV rows were reused from the prefix cache instead of evaluated.</param>
/// <param name="CompletionTokens">Tokens sampled so far.</param>
/// <param name="RequestsFinished">Requests that ran to a finish reason.</param>
/// <param name="RequestsCancelled">Requests cancelled (before or while being served).</param>
/// <param name="RequestsRejected">Requests refused because the queue was full.</param>
/// <param name="RequestsFailed">Requests ended by an error.</param>
public sealed record EngineStatistics(
    int Slots,
    int ActiveSlots,
    int QueuedRequests,
    long KvPositionsUsed,
    long KvPositionsTotal,
    int RetainedPrefixes,
    long RetainedPrefixTokens,
    long PromptTokens,
    long CachedPromptTokens,
    long CompletionTokens,
    long RequestsFinished,
    long RequestsCancelled,
    long RequestsRejected,
    long RequestsFailed);
