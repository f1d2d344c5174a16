using DeepSharp.Compute;

namespace DeepSharp.Models.Blocks;

/// <summary>The tensors of one grouped-query attention block; biases (qwen2) and per-head q/k norms (qwen3) are optional.</summary>
/// <param name="Query">attn_q: model width → heads × key length.</param>
/// <param name="Key">attn_k: model width → KV heads × key length.</param>
/// <param name="Value">attn_v: model width → KV heads × value length.</param>
/// <param name="Output">attn_output: heads × value length → model width.</param>
/// <param name="QueryBias">attn_q.bias, or null.</param>
/// <param name="KeyBias">attn_k.bias, or null.</param>
/// <param name="ValueBias">attn_v.bias, or null.</param>
/// <param name="QueryNorm">attn_q_norm (key length), or null.</param>
/// <param name="KeyNorm">attn_k_norm (key length), or null.</param>
public sealed record GqaWeights(
    WeightMatrix Query,
    WeightMatrix Key,
    WeightMatrix Value,
    WeightMatrix Output,
    float[]? QueryBias = null,
    float[]? KeyBias = null,
    float[]? ValueBias = null,
    float[]? QueryNorm = null,
    float[]? KeyNorm = null);
