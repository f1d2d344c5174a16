using DeepSharp.Compute;

namespace DeepSharp.Models.Blocks;

/// <summary>The tensors of one Multi-head Latent Attention block (FACTS.md §3.7).</summary>
/// <param name="Query">attn_q: model width → heads × (nope + rope), when queries are not compressed (V2-Lite); else null.</param>
/// <param name="QueryA">attn_q_a: model width → q_lora_rank, or null.</param>
/// <param name="QueryANorm">attn_q_a_norm (q_lora_rank), or null.</param>
/// <param name="QueryB">attn_q_b: q_lora_rank → heads × (nope + rope), or null.</param>
/// <param name="KvA">attn_kv_a_mqa: model width → latent + rope (the latent first).</param>
/// <param name="KvANorm">attn_kv_a_norm (latent).</param>
/// <param name="KeyUp">Per head, the key up-projection.</param>
/// <param name="ValueUp">Per head, the value up-projection: latent → value head.</param>
/// <param name="Output">attn_output: heads × value head → model width.</param>
public sealed record MlaWeights(
    WeightMatrix? Query,
    WeightMatrix? QueryA,
    float[]? QueryANorm,
    WeightMatrix? QueryB,
    WeightMatrix KvA,
    float[] KvANorm,
    IReadOnlyList<LatentKeyUp> KeyUp,
    IReadOnlyList<WeightMatrix> ValueUp,
    WeightMatrix Output);
