using DeepSharp.Compute;

namespace DeepSharp.Models;

/// <summary>What a forward pass runs with: scratch buffers, worker threads and an optional activation tap.</summary>
/// <param name="Workspace">Scratch buffers (one per session).</param>
/// <param name="Pool">Threads for row-parallel kernels.</param>
/// <param name="Sink">Receives named activations, or null.</param>
public sealed record ForwardContext(Workspace Workspace, ComputePool Pool, IActivationSink? Sink = null)
{
    /// <summary>Reports an activation to <see cref="Sink"/> if there is one.</summary>
    public void Tap(int layer, string name, int tokens, ReadOnlySpan<float> values) => Sink?.Report(layer, name, tokens, values);
}
