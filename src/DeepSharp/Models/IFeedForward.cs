namespace DeepSharp.Models;

/// <summary>The feed-forward half of a transformer block (dense SwiGLU here; MoE later), pluggable per layer.</summary>
public interface IFeedForward
{
    /// <summary>Maps <paramref name="tokens"/> normalised rows of <paramref name="input"/> to rows of <paramref name="output"/> (model width).</summary>
    void Forward(ForwardContext context, int layer, ReadOnlySpan<float> input, int tokens, Span<float> output);
}
