namespace DeepSharp.Fixtures;

/// <summary>How a deepseek2 GGUF stores the MLA key/value up-projection.</summary>
public enum MlaKvLayout
{
    /// <summary>Per-head <c>attn_k_b</c> and <c>attn_v_b</c> (newer llama.cpp conversions, latent cache).</summary>
    Split,

    /// <summary>One <c>attn_kv_b</c> matrix (older conversions).</summary>
    Merged,
}
