using DeepSharp.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepSharp.Training.Modeling;

/// <summary>
/// Multi-head Latent Attention with a compressed query (FACTS.md §3.8), in the naive form: the KV latent is
/// normalised and expanded per head by <c>kv_b</c>. The GGUF exporter writes <c>kv_b</c> either whole or split
/// into <c>attn_k_b</c>/<c>attn_v_b</c>; llama.cpp's absorbed form computes the same attention.
/// </summary>
public sealed class MlaAttention : nn.Module
{
    private readonly int _heads;
    private readonly MlaConfig _mla;
    private readonly Rope _rope;

    /// <summary>Creates the attention of one layer.</summary>
    public MlaAttention(ModelConfig config, Rope rope) : base(nameof(MlaAttention))
    {
        _mla = config.Mla ?? throw new ArgumentException("MLA attention needs MLA dimensions", nameof(config));
        if (_mla.QLoraRank <= 0)
        {
            throw new ArgumentException("the trainer's MLA compresses the query: q_lora_rank must be positive", nameof(config));
        }
        _heads = config.HeadCount;
        _rope = rope;
        long d = config.EmbeddingLength;
        QA = nn.Linear(d, _mla.QLoraRank, hasBias: false);
        QANorm = new RmsNorm(_mla.QLoraRank, config.RmsNormEpsilon);
        QB = nn.Linear(_mla.QLoraRank, _heads * _mla.QueryKeyHeadDim, hasBias: false);
        KvA = nn.Linear(d, _mla.KvLoraRank + _mla.RopeHeadDim, hasBias: false);
        KvANorm = new RmsNorm(_mla.KvLoraRank, config.RmsNormEpsilon);
        KvB = nn.Linear(_mla.KvLoraRank, _heads * (_mla.NopeHeadDim + _mla.ValueHeadDim), hasBias: false);
        Output = nn.Linear(_heads * _mla.ValueHeadDim, d, hasBias: false);
        register_module("q_a", QA);
        register_module("q_a_norm", QANorm);
        register_module("q_b", QB);
        register_module("kv_a", KvA);
        register_module("kv_a_norm", KvANorm);
        register_module("kv_b", KvB);
        register_module("output", Output);
    }

    /// <summary>Query down-projection (GGUF <c>attn_q_a</c>).</summary>
    public Linear QA { get; }

    /// <summary>Query latent norm (<c>attn_q_a_norm</c>).</summary>
    public RmsNorm QANorm { get; }

    /// <summary>Query up-projection (<c>attn_q_b</c>); per head nope dims first, rope dims last.</summary>
    public Linear QB { get; }

    /// <summary>KV down-projection with the shared rope key (<c>attn_kv_a_mqa</c>).</summary>
    public Linear KvA { get; }

    /// <summary>KV latent norm (<c>attn_kv_a_norm</c>).</summary>
    public RmsNorm KvANorm { get; }

    /// <summary>KV up-projection (<c>attn_kv_b</c>); per head nope-key rows first, value rows last.</summary>
    public Linear KvB { get; }

    /// <summary>Output projection (<c>attn_output</c>).</summary>
    public Linear Output { get; }

    /// <summary>Attends causally over <paramref name="x"/> [B, T, d] at positions start.., through <paramref name="cache"/> when given.</summary>
    public Tensor Forward(Tensor x, int start, KvCache? cache, int layer)
    {
        long b = x.shape[0], t = x.shape[1];
        int dn = _mla.NopeHeadDim, r = _mla.RopeHeadDim, dv = _mla.ValueHeadDim, lkv = _mla.KvLoraRank;
        var q = QB.forward(QANorm.forward(QA.forward(x))).view(b, t, _heads, dn + r);
        var qPe = _rope.Apply(q.narrow(-1, dn, r), start);
        q = cat([q.narrow(-1, 0, dn), qPe], -1);

        var a = KvA.forward(x);
        var kPe = _rope.Apply(a.narrow(-1, lkv, r).view(b, t, 1, r), start);
        var kv = KvB.forward(KvANorm.forward(a.narrow(-1, 0, lkv))).view(b, t, _heads, dn + dv);
        var k = cat([kv.narrow(-1, 0, dn), kPe.expand(b, t, _heads, r)], -1);
        var v = kv.narrow(-1, dn, dv);

        q = q.transpose(1, 2);
        k = k.transpose(1, 2);
        v = v.transpose(1, 2);
        if (cache is not null)
        {
            if (t > 1 && start > 0)
            {
                throw new NotSupportedException("a cached forward of several tokens must start at position 0");
            }
            (k, v) = cache.Append(layer, start, k, v);
        }
        // Default scale 1/sqrt(nope + rope), the head width llama.cpp uses (no YaRN mscale here).
        var o = nn.functional.scaled_dot_product_attention(q, k, v, is_casual: t > 1);
        return Output.forward(o.transpose(1, 2).reshape(b, t, _heads * dv));
    }
}
