namespace DeepSharp.Models;

/// <summary>One pre-norm residual block: <c>h = x + Attn(norm(x)); out = h + FFN(norm(h))</c>.</summary>
/// <param name="AttentionNorm">RMSNorm weight before attention (model width).</param>
/// <param name="Attention">The attention block.</param>
/// <param name="FeedForwardNorm">RMSNorm weight before the feed-forward block.</param>
/// <param name="FeedForward">The feed-forward block.</param>
public sealed record TransformerLayer(float[] AttentionNorm, IAttention Attention, float[] FeedForwardNorm, IFeedForward FeedForward);
