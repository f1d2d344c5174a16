using DeepSharp.Compute;
using DeepSharp.Models.Blocks;

namespace DeepSharp.Models;

/// <summary>
/// llama, qwen2 and qwen3 (FACTS.md §3.3–3.5): grouped-query attention and a SwiGLU feed-forward in every layer.
/// The families differ only in data: q/k/v biases (qwen2), per-head q/k norms (qwen3), RoPE pairing, and
/// Llama-3.1's <c>rope_freqs</c> factors, all read from the config and the file.
/// </summary>
public sealed class DenseTransformerRecipe : IArchitectureRecipe
{
    private Rope? _rope;

    /// <inheritdoc />
    public TransformerLayer BuildLayer(ModelConfig config, ModelWeights weights, int layer)
    {
        string b = $"blk.{layer}.";
        int width = config.EmbeddingLength;
        int q = config.HeadCount * config.KeyLength, k = config.KeyValueHeadCount * config.KeyLength, v = config.KeyValueHeadCount * config.ValueLength;
        // One RoPE for all layers: rope_freqs is a single global tensor.
        _rope ??= new Rope(RopeParameters.For(config, weights.OptionalVector("rope_freqs.weight", config.RopeDimensionCount / 2)));
        var attentionWeights = new GqaWeights(
            weights.Matrix(b + "attn_q.weight", width, q),
            weights.Matrix(b + "attn_k.weight", width, k),
            weights.Matrix(b + "attn_v.weight", width, v),
            weights.Matrix(b + "attn_output.weight", config.HeadCount * config.ValueLength, width),
            weights.OptionalVector(b + "attn_q.bias", q),
            weights.OptionalVector(b + "attn_k.bias", k),
            weights.OptionalVector(b + "attn_v.bias", v),
            weights.OptionalVector(b + "attn_q_norm.weight", config.KeyLength),
            weights.OptionalVector(b + "attn_k_norm.weight", config.KeyLength));
        var attention = new GroupedQueryAttention(
            attentionWeights, config.HeadCount, config.KeyValueHeadCount, config.KeyLength, config.ValueLength, config.RmsNormEpsilon, _rope);
        var feedForward = new SwiGluFeedForward(
            weights.Matrix(b + "ffn_gate.weight", width, config.FeedForwardLength),
            weights.Matrix(b + "ffn_up.weight", width, config.FeedForwardLength),
            weights.Matrix(b + "ffn_down.weight", config.FeedForwardLength, width));
        return new TransformerLayer(weights.Vector(b + "attn_norm.weight", width), attention, weights.Vector(b + "ffn_norm.weight", width), feedForward);
    }
}
