namespace DeepSharp.Models.Blocks;

/// <summary>How <see cref="MlaAttention"/> evaluates attention over its latent cache (FACTS.md §3.8, 5a and 5b).</summary>
public enum MlaForm
{
    /// <summary>Absorbed when decoding; per batch, whichever form costs fewer multiply-adds.</summary>
    Auto,

    /// <summary>Queries absorb the key up-projection and attention runs in latent space (MQA over the latent).</summary>
    Absorbed,

    /// <summary>Cached latents are expanded into per-head keys and values and attention runs as ordinary MHA.</summary>
    Expanded,
}
