namespace DeepSharp.Models;

/// <summary>
/// Architecture-neutral hyperparameters of a model. Every switch that distinguishes the families is spelled
/// out here as data, so one transformer skeleton can serve them all; nothing is inferred from a dimension.
/// </summary>
public sealed record ModelConfig
{
    /// <summary>The family.</summary>
    public required ModelArchitecture Architecture { get; init; }

    /// <summary>Vocabulary size (rows of the embedding).</summary>
    public required int VocabSize { get; init; }

    /// <summary>Width of the residual stream.</summary>
    public required int EmbeddingLength { get; init; }

    /// <summary>Number of transformer blocks the model runs (multi-token-prediction blocks not included).</summary>
    public required int LayerCount { get; init; }

    /// <summary>
    /// Multi-token-prediction ("next-n") blocks stored after the <see cref="LayerCount"/> main ones (GGUF
    /// <c>nextn_predict_layers</c>; <c>block_count</c> counts both). They draft tokens for speculative decoding.
    /// </summary>
    public int NextNLayerCount { get; init; }

    /// <summary>Hidden width of a dense SwiGLU FFN.</summary>
    public required int FeedForwardLength { get; init; }

    /// <summary>Query heads.</summary>
    public required int HeadCount { get; init; }

    /// <summary>Key/value heads (GQA); 1 for MLA-format DeepSeek files.</summary>
    public required int KeyValueHeadCount { get; init; }

    /// <summary>Width of one key head (for MLA-format files: latent + rope, as stored in GGUF).</summary>
    public required int KeyLength { get; init; }

    /// <summary>Width of one value head (for MLA-format files: the latent width).</summary>
    public required int ValueLength { get; init; }

    /// <summary>Context length the model was trained for.</summary>
    public required int ContextLength { get; init; }

    /// <summary>RMSNorm epsilon.</summary>
    public required float RmsNormEpsilon { get; init; }

    /// <summary>RoPE base frequency.</summary>
    public required float RopeFreqBase { get; init; }

    /// <summary>Number of rotated dimensions per head.</summary>
    public required int RopeDimensionCount { get; init; }

    /// <summary>True when RoPE rotates (i, i + d/2) pairs (qwen2, qwen3); false for adjacent pairs (llama, deepseek2).</summary>
    public required bool RopeNeox { get; init; }

    /// <summary>RoPE frequency scaling.</summary>
    public RopeScaling RopeScaling { get; init; } = RopeScaling.None;

    /// <summary>Whether q/k/v projections have biases (qwen2).</summary>
    public bool QkvBias { get; init; }

    /// <summary>Whether q and k get a per-head RMSNorm before RoPE (qwen3).</summary>
    public bool QkNorm { get; init; }

    /// <summary>Whether the output head reuses the token embedding.</summary>
    public bool TiedEmbeddings { get; init; }

    /// <summary>MLA dimensions; null for ordinary attention.</summary>
    public MlaConfig? Mla { get; init; }

    /// <summary>MoE hyperparameters; null for dense models.</summary>
    public MoeConfig? Moe { get; init; }

    /// <summary>True when layer <paramref name="layer"/> has a routed MoE FFN.</summary>
    public bool IsMoeLayer(int layer) => Moe is not null && layer >= Moe.LeadingDenseLayers;

    /// <summary>
    /// Values the KV cache holds per token and layer: the latent plus the RoPE key for MLA, otherwise
    /// keys and values of every KV head.
    /// </summary>
    public int KvValuesPerTokenPerLayer =>
        Mla is { } mla ? mla.KvLoraRank + mla.RopeHeadDim : KeyValueHeadCount * (KeyLength + ValueLength);

    /// <summary>KV cache bytes per token for elements of <paramref name="elementBytes"/> bytes (2 for F16).</summary>
    public long KvBytesPerToken(int elementBytes = 2) => (long)KvValuesPerTokenPerLayer * LayerCount * elementBytes;
}
