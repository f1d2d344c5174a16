namespace DeepSharp.Server;

/// <summary>Settings of a <see cref="DeepSharpServer"/>: where it listens, who may call it, and the limits that keep it standing.</summary>
public sealed record DeepSharpServerOptions
{
    /// <summary>Address to listen on.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>TCP port; 0 picks a free one (see <see cref="DeepSharpServer.BaseAddress"/>).</summary>
    public int Port { get; init; } = 8080;

    /// <summary>When set, every API call must send <c>Authorization: Bearer KEY</c> (the page and /health stay open).</summary>
    public string? ApiKey { get; init; }

    /// <summary>Requests generating at the same time; 0 for the engine's slots (<see cref="Engine.EngineOptions.ParallelSlots"/>).</summary>
    public int Parallel { get; init; }

    /// <summary>Requests that may wait for a free slot; more are answered 429.</summary>
    public int QueueCapacity { get; init; } = 64;

    /// <summary>Largest request body in bytes; larger ones are answered 413.</summary>
    public long MaxBodyBytes { get; init; } = 1 << 20;

    /// <summary>Most messages one chat request may carry.</summary>
    public int MaxMessages { get; init; } = 256;

    /// <summary>Largest <c>max_tokens</c> a request may ask for; 0 for the context length.</summary>
    public int MaxTokensLimit { get; init; }

    /// <summary>New tokens when a request names no <c>max_tokens</c>; 0 for as many as the context allows.</summary>
    public int DefaultMaxTokens { get; init; }

    /// <summary>How often a waiting stream gets a <c>: keep-alive</c> comment.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Extra model names that select the served model (DeepSeek's API names by default).</summary>
    public IReadOnlyList<string> ModelAliases { get; init; } = [ChatModelAlias, ReasonerModelAlias];

    /// <summary>DeepSeek's name for its model with thinking off.</summary>
    public const string ChatModelAlias = "deepseek-chat";

    /// <summary>DeepSeek's name for its model with thinking on.</summary>
    public const string ReasonerModelAlias = "deepseek-reasoner";
}
