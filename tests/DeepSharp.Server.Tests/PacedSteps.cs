using DeepSharp.Models;

namespace DeepSharp.Server.Tests;

/// <summary>
/// Sleeps at the start of every forward pass, so the tiny model writes its reply over a visible stretch of time as a
/// real model does, instead of in the few milliseconds that let every SSE event arrive in one network read.
/// </summary>
internal sealed class PacedSteps(int milliseconds) : IActivationSink
{
    public void Report(int layer, string name, int tokens, ReadOnlySpan<float> values)
    {
        if (layer == 0 && name == "attn_norm")
        {
            Thread.Sleep(milliseconds);
        }
    }
}
