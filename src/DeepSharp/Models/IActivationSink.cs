namespace DeepSharp.Models;

/// <summary>
/// Receives named intermediate activations of a forward pass (STYLE §10.4 "named taps"), to compare a model layer
/// by layer with a peer. Names: <c>attn_norm</c>, <c>attn_out</c>, <c>ffn_norm</c>, <c>ffn_out</c>, <c>l_out</c>
/// per layer; <c>result_norm</c> and <c>result_output</c> with layer −1.
/// </summary>
public interface IActivationSink
{
    /// <summary>Called with <paramref name="tokens"/> rows of activations; the span is only valid during the call.</summary>
    void Report(int layer, string name, int tokens, ReadOnlySpan<float> values);
}
