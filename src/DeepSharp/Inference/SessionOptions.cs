using DeepSharp.Compute;
using DeepSharp.Models;

namespace DeepSharp.Inference;

/// <summary>How an <see cref="InferenceSession"/> is set up.</summary>
public sealed record SessionOptions
{
    /// <summary>Context positions to allocate; 0 means the model's trained context, capped at <see cref="DefaultContextCap"/>.</summary>
    public int ContextLength { get; init; }

    /// <summary>KV cache element type.</summary>
    public KvCacheType KvCacheType { get; init; } = KvCacheType.F16;

    /// <summary>Prompt tokens evaluated per forward pass.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Worker threads; null for <see cref="ComputePool.Shared"/>.</summary>
    public ComputePool? Pool { get; init; }

    /// <summary>Receives intermediate activations, or null.</summary>
    public IActivationSink? ActivationSink { get; init; }

    /// <summary>Counts weight bytes read and experts chosen, or null.</summary>
    public ForwardMeter? Meter { get; init; }

    /// <summary>The context used when <see cref="ContextLength"/> is 0 and the model's own is larger.</summary>
    public const int DefaultContextCap = 4096;
}
