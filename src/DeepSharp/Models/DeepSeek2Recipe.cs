using DeepSharp.Compute;
using DeepSharp.Models.Blocks;

namespace DeepSharp.Models;

/// <summary>
/// deepseek2 (DeepSeek-V2, V2-Lite, V3, R1; FACTS.md §3.6–3.10): Multi-head Latent Attention in every layer, a
/// dense SwiGLU feed-forward in the leading layers and DeepSeekMoE after them. Reads both GGUF layouts of the key
/// and value up-projections: per-head <c>attn_k_b</c>/<c>attn_v_b</c> and the older merged <c>attn_kv_b</c>.
/// </summary>
/// <param name="form">How MLA layers evaluate attention (both forms agree; Auto picks the cheaper per batch).</param>
public sealed class DeepSeek2Recipe(MlaForm form = MlaForm.Auto) : IArchitectureRecipe
{
    private Rope? _rope;
    private float _softmaxScale;

    /// <inheritdoc />
    public TransformerLayer BuildLayer(ModelConfig config, ModelWeights weights, int layer)
    {
        var mla = config.Mla ?? throw new InvalidDataException("a deepseek2 model needs MLA dimensions");
        var moe = config.Moe ?? throw new InvalidDataException("a deepseek2 model needs MoE hyperparameters");
        string b = $"blk.{layer}.";
        int width = config.EmbeddingLength;
        if (_rope is null)
        {
            var rope = RopeParameters.For(config, null);
            _rope = new Rope(rope);
            _softmaxScale = YarnScaling.MlaSoftmaxScale(
                rope.FreqScale, rope.AttnFactor, YarnScaling.MScaleAllDim(config.RopeScaling.YarnLogMultiplier), mla.QueryKeyHeadDim);
        }
        var attention = new MlaAttention(Attention(config, mla, weights, b), mla, config.HeadCount, config.RmsNormEpsilon, _rope, _softmaxScale, form);
        IFeedForward feedForward = config.IsMoeLayer(layer)
            ? MoeFeedForward(weights, b, width, moe)
            : SwiGlu(weights, b, "", width, config.FeedForwardLength);
        return new TransformerLayer(weights.Vector(b + "attn_norm.weight", width), attention, weights.Vector(b + "ffn_norm.weight", width), feedForward);
    }

    private static MlaWeights Attention(ModelConfig config, MlaConfig mla, ModelWeights w, string b)
    {
        int width = config.EmbeddingLength, heads = config.HeadCount;
        int queryWidth = heads * mla.QueryKeyHeadDim;
        bool compressedQuery = mla.QLoraRank > 0;
        IReadOnlyList<LatentKeyUp> keyUp;
        IReadOnlyList<WeightMatrix> valueUp;
        if (w.Has(b + "attn_kv_b.weight"))
        {
            // Merged: per head, nope rows of K then value rows of V, each a latent wide.
            int perHead = mla.NopeHeadDim + mla.ValueHeadDim;
            var kvb = w.Matrix(b + "attn_kv_b.weight", mla.KvLoraRank, heads * perHead);
            keyUp = Enumerable.Range(0, heads)
                .Select(h => LatentKeyUp.FromRows(kvb.RowRange(h * perHead, mla.NopeHeadDim, $"{kvb.Name}[k{h}]"))).ToArray();
            valueUp = Enumerable.Range(0, heads)
                .Select(h => kvb.RowRange(h * perHead + mla.NopeHeadDim, mla.ValueHeadDim, $"{kvb.Name}[v{h}]")).ToArray();
        }
        else
        {
            keyUp = w.Slabs(b + "attn_k_b.weight", mla.NopeHeadDim, mla.KvLoraRank, heads).Select(LatentKeyUp.FromTransposed).ToArray();
            valueUp = w.Slabs(b + "attn_v_b.weight", mla.KvLoraRank, mla.ValueHeadDim, heads);
        }
        return new MlaWeights(
            compressedQuery ? null : w.Matrix(b + "attn_q.weight", width, queryWidth),
            compressedQuery ? w.Matrix(b + "attn_q_a.weight", width, mla.QLoraRank) : null,
            compressedQuery ? w.Vector(b + "attn_q_a_norm.weight", mla.QLoraRank) : null,
            compressedQuery ? w.Matrix(b + "attn_q_b.weight", mla.QLoraRank, queryWidth) : null,
            w.Matrix(b + "attn_kv_a_mqa.weight", width, mla.KvLoraRank + mla.RopeHeadDim),
            w.Vector(b + "attn_kv_a_norm.weight", mla.KvLoraRank),
            keyUp,
            valueUp,
            w.Matrix(b + "attn_output.weight", heads * mla.ValueHeadDim, width));
    }

    private static MoeFeedForward MoeFeedForward(ModelWeights w, string b, int width, MoeConfig moe)
    {
        int n = moe.ExpertCount, hidden = moe.ExpertFeedForwardLength;
        var router = new ExpertRouter(w.Matrix(b + "ffn_gate_inp.weight", width, n), w.OptionalVector(b + "exp_probs_b.bias", n), moe);
        var shared = moe.SharedExpertCount > 0 ? SwiGlu(w, b, "_shexp", width, moe.SharedExpertCount * hidden) : null;
        return new MoeFeedForward(
            router,
            w.Slabs(b + "ffn_gate_exps.weight", width, hidden, n),
            w.Slabs(b + "ffn_up_exps.weight", width, hidden, n),
            w.Slabs(b + "ffn_down_exps.weight", hidden, width, n),
            shared);
    }

    private static SwiGluFeedForward SwiGlu(ModelWeights w, string b, string suffix, int width, int hidden) => new(
        w.Matrix(b + "ffn_gate" + suffix + ".weight", width, hidden),
        w.Matrix(b + "ffn_up" + suffix + ".weight", width, hidden),
        w.Matrix(b + "ffn_down" + suffix + ".weight", hidden, width));
}
