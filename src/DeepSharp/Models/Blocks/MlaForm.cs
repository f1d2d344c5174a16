namespace DeepSharp.Models.Blocks;

/// <summary>How <see cref="MlaAttention"/> evaluates attention over its latent cache (FACTS.md §3.8, 5a and 5b).</summary>
public enum MlaForm
{
    /// <summary>
    /// The form llama.cpp computes for the file's layout, so quantized products round alike: absorbed for split
    /// <c>attn_k_b</c>/<c>attn_v_b</c> files; for merged <c>attn_kv_b</c> files expanded for a prompt batch when that
    /// costs fewer multiply-adds (llama.cpp always expands them), absorbed when decoding.
    /// </summary>
    Auto,

    /// <summary>Queries absorb the key up-projection and attention runs in latent space (MQA over the latent).</summary>
    Absorbed,

    /// <summary>Cached latents are expanded into per-head keys and values and attention runs as ordinary MHA.</summary>
    Expanded,
}
