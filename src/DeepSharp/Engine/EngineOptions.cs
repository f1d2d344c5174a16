using DeepSharp.Inference;

namespace DeepSharp.Engine;

/// <summary>How a <see cref="ChatEngine"/> schedules requests and caches prompts.</summary>
public sealed record EngineOptions
{
    /// <summary>
    /// Per slot: context positions (0: the model's trained context, capped), KV cache type, pool and meter.
    /// <see cref="SessionOptions.BatchSize"/> is the most prompt tokens one step evaluates for all joining requests
    /// together, so prompts of newcomers do not stall the requests already decoding for long.
    /// </summary>
    public SessionOptions Session { get; init; } = new();

    /// <summary>Requests served at once, each in its own KV cache slot; all of them step in one batched forward pass. 1 serves one request at a time.</summary>
    public int ParallelSlots { get; init; } = 1;

    /// <summary>Requests that may wait for a slot; one more is refused with <see cref="EngineBusyException"/>.</summary>
    public int QueueLimit { get; init; } = 64;

    /// <summary>
    /// KV positions kept for token prefixes evicted from the slots (a shared system prompt, an earlier conversation), so
    /// a later request that repeats one skips evaluating it; least recently used prefixes go first. 0 keeps none
    /// (the slots' own contents are still reused).
    /// </summary>
    public int PrefixCacheTokens { get; init; } = 8192;

    /// <summary>Prefixes shorter than this are not worth keeping.</summary>
    public int MinPrefixTokens { get; init; } = 16;

    /// <summary>
    /// A folder where kept prefixes are written (as they are kept and when the engine is disposed) and read back at
    /// start, so a restarted engine still reuses them. Files of another model or format are ignored. Null: memory only.
    /// </summary>
    public string? PrefixCacheDirectory { get; init; }

    /// <summary>Receives diagnostic messages (an ignored cache file, a failed write), or null.</summary>
    public Action<string>? Log { get; init; }
}
