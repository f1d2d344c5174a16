using DeepSharp.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepSharp.Training.Modeling;

/// <summary>One pre-norm transformer block: MLA attention, then a dense SwiGLU or a DeepSeekMoE FFN.</summary>
public sealed class DecoderLayer : nn.Module
{
    private readonly int _index;

    /// <summary>Creates block <paramref name="index"/>; <paramref name="moe"/> picks the FFN kind.</summary>
    public DecoderLayer(ModelConfig config, Rope rope, int index, bool moe) : base(nameof(DecoderLayer))
    {
        _index = index;
        AttentionNorm = new RmsNorm(config.EmbeddingLength, config.RmsNormEpsilon);
        Attention = new MlaAttention(config, rope);
        FfnNorm = new RmsNorm(config.EmbeddingLength, config.RmsNormEpsilon);
        register_module("attn_norm", AttentionNorm);
        register_module("attn", Attention);
        register_module("ffn_norm", FfnNorm);
        if (moe)
        {
            Moe = new MoeFeedForward(config);
            register_module("moe", Moe);
        }
        else
        {
            Dense = new SwiGlu(config.EmbeddingLength, config.FeedForwardLength);
            register_module("ffn", Dense);
        }
    }

    /// <summary>Attention input norm (<c>attn_norm</c>).</summary>
    public RmsNorm AttentionNorm { get; }

    /// <summary>The attention.</summary>
    public MlaAttention Attention { get; }

    /// <summary>FFN input norm (<c>ffn_norm</c>).</summary>
    public RmsNorm FfnNorm { get; }

    /// <summary>The dense FFN, or null in a MoE layer.</summary>
    public SwiGlu? Dense { get; }

    /// <summary>The MoE FFN, or null in a dense layer.</summary>
    public MoeFeedForward? Moe { get; }

    /// <summary>Runs the block on [B, T, d] at positions start...</summary>
    public Tensor Forward(Tensor x, int start, KvCache? cache, int cacheLayer)
    {
        var h = x + Attention.Forward(AttentionNorm.forward(x), start, cache, cacheLayer);
        var f = FfnNorm.forward(h);
        return h + (Moe is not null ? Moe.forward(f) : Dense!.forward(f));
    }

    /// <inheritdoc />
    public override string ToString() => $"blk.{_index}";
}
