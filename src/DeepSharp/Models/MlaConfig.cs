namespace DeepSharp.Models;

/// <summary>Multi-head Latent Attention dimensions (FACTS.md §3.6–3.8).</summary>
/// <param name="QLoraRank">Rank of the query compression; 0 when queries are projected directly (V2-Lite).</param>
/// <param name="KvLoraRank">Width of the cached KV latent.</param>
/// <param name="RopeHeadDim">Width of the decoupled RoPE part of each query and of the shared RoPE key.</param>
/// <param name="NopeHeadDim">Width of the non-rotated part of each query/key head.</param>
/// <param name="ValueHeadDim">Width of each value head.</param>
public sealed record MlaConfig(int QLoraRank, int KvLoraRank, int RopeHeadDim, int NopeHeadDim, int ValueHeadDim)
{
    /// <summary>Query/key head width used for the softmax scale: nope + rope.</summary>
    public int QueryKeyHeadDim => NopeHeadDim + RopeHeadDim;
}
