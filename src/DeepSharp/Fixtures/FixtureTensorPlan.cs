using DeepSharp.Models;

namespace DeepSharp.Fixtures;

/// <summary>
/// The tensors a GGUF model of a given configuration holds, with llama.cpp's names and shapes
/// (FACTS.md §3.3–3.7). Shapes are ggml order: {inputs, outputs} for a matrix.
/// </summary>
public static class FixtureTensorPlan
{
    /// <summary>Lists the tensors of <paramref name="spec"/> in the order they are written.</summary>
    public static IReadOnlyList<PlannedTensor> For(FixtureSpec spec)
    {
        var c = spec.Config;
        var list = new List<PlannedTensor>
        {
            new("token_embd.weight", [c.EmbeddingLength, c.VocabSize], TensorRole.Matrix),
        };
        if (spec.RopeFrequencyFactors)
        {
            list.Add(new("rope_freqs.weight", [c.RopeDimensionCount / 2], TensorRole.RopeFrequencyFactors));
        }
        for (int layer = 0; layer < c.LayerCount + c.NextNLayerCount; layer++)
        {
            string b = $"blk.{layer}.";
            list.Add(new(b + "attn_norm.weight", [c.EmbeddingLength], TensorRole.Norm));
            if (c.Mla is { } mla)
            {
                AddMlaAttention(list, b, c, mla, spec.KvLayout);
            }
            else
            {
                AddAttention(list, b, c);
            }
            list.Add(new(b + "ffn_norm.weight", [c.EmbeddingLength], TensorRole.Norm));
            if (c.IsMoeLayer(layer))
            {
                AddMoe(list, b, c, c.Moe!, spec.RouterBias);
            }
            else
            {
                AddSwiGlu(list, b, "", c.EmbeddingLength, c.FeedForwardLength);
            }
            if (layer >= c.LayerCount)
            {
                AddNextN(list, b, c);
            }
        }
        list.Add(new("output_norm.weight", [c.EmbeddingLength], TensorRole.Norm));
        if (!c.TiedEmbeddings)
        {
            list.Add(new("output.weight", [c.EmbeddingLength, c.VocabSize], TensorRole.Matrix));
        }
        return list;
    }

    private static void AddAttention(List<PlannedTensor> list, string b, ModelConfig c)
    {
        long q = (long)c.HeadCount * c.KeyLength;
        long k = (long)c.KeyValueHeadCount * c.KeyLength;
        long v = (long)c.KeyValueHeadCount * c.ValueLength;
        list.Add(new(b + "attn_q.weight", [c.EmbeddingLength, q], TensorRole.Matrix));
        list.Add(new(b + "attn_k.weight", [c.EmbeddingLength, k], TensorRole.Matrix));
        list.Add(new(b + "attn_v.weight", [c.EmbeddingLength, v], TensorRole.Matrix));
        if (c.QkvBias)
        {
            list.Add(new(b + "attn_q.bias", [q], TensorRole.Bias));
            list.Add(new(b + "attn_k.bias", [k], TensorRole.Bias));
            list.Add(new(b + "attn_v.bias", [v], TensorRole.Bias));
        }
        if (c.QkNorm)
        {
            list.Add(new(b + "attn_q_norm.weight", [c.KeyLength], TensorRole.Norm));
            list.Add(new(b + "attn_k_norm.weight", [c.KeyLength], TensorRole.Norm));
        }
        list.Add(new(b + "attn_output.weight", [(long)c.HeadCount * c.ValueLength, c.EmbeddingLength], TensorRole.Matrix));
    }

    private static void AddMlaAttention(List<PlannedTensor> list, string b, ModelConfig c, MlaConfig mla, MlaKvLayout layout)
    {
        long h = c.HeadCount;
        long qWidth = h * mla.QueryKeyHeadDim;
        if (mla.QLoraRank > 0)
        {
            list.Add(new(b + "attn_q_a.weight", [c.EmbeddingLength, mla.QLoraRank], TensorRole.Matrix));
            list.Add(new(b + "attn_q_a_norm.weight", [mla.QLoraRank], TensorRole.Norm));
            list.Add(new(b + "attn_q_b.weight", [mla.QLoraRank, qWidth], TensorRole.Matrix));
        }
        else
        {
            list.Add(new(b + "attn_q.weight", [c.EmbeddingLength, qWidth], TensorRole.Matrix));
        }
        list.Add(new(b + "attn_kv_a_mqa.weight", [c.EmbeddingLength, mla.KvLoraRank + mla.RopeHeadDim], TensorRole.Matrix));
        list.Add(new(b + "attn_kv_a_norm.weight", [mla.KvLoraRank], TensorRole.Norm));
        if (layout == MlaKvLayout.Merged)
        {
            list.Add(new(b + "attn_kv_b.weight", [mla.KvLoraRank, h * (mla.NopeHeadDim + mla.ValueHeadDim)], TensorRole.Matrix));
        }
        else
        {
            list.Add(new(b + "attn_k_b.weight", [mla.NopeHeadDim, mla.KvLoraRank, h], TensorRole.Matrix));
            list.Add(new(b + "attn_v_b.weight", [mla.KvLoraRank, mla.ValueHeadDim, h], TensorRole.Matrix));
        }
        list.Add(new(b + "attn_output.weight", [h * mla.ValueHeadDim, c.EmbeddingLength], TensorRole.Matrix));
    }

    private static void AddMoe(List<PlannedTensor> list, string b, ModelConfig c, MoeConfig moe, bool routerBias)
    {
        list.Add(new(b + "ffn_gate_inp.weight", [c.EmbeddingLength, moe.ExpertCount], TensorRole.Router));
        if (routerBias)
        {
            list.Add(new(b + "exp_probs_b.bias", [moe.ExpertCount], TensorRole.Bias));
        }
        list.Add(new(b + "ffn_gate_exps.weight", [c.EmbeddingLength, moe.ExpertFeedForwardLength, moe.ExpertCount], TensorRole.Matrix));
        list.Add(new(b + "ffn_up_exps.weight", [c.EmbeddingLength, moe.ExpertFeedForwardLength, moe.ExpertCount], TensorRole.Matrix));
        list.Add(new(b + "ffn_down_exps.weight", [moe.ExpertFeedForwardLength, c.EmbeddingLength, moe.ExpertCount], TensorRole.Matrix));
        if (moe.SharedExpertCount > 0)
        {
            AddSwiGlu(list, b, "_shexp", c.EmbeddingLength, (long)moe.SharedExpertCount * moe.ExpertFeedForwardLength);
        }
    }

    // A multi-token-prediction block carries, besides an ordinary block, the projection that mixes the next token's
    // embedding with the last hidden state, their norms, and its own head and embedding (as V3 checkpoints do).
    private static void AddNextN(List<PlannedTensor> list, string b, ModelConfig c)
    {
        list.Add(new(b + "nextn.eh_proj.weight", [2L * c.EmbeddingLength, c.EmbeddingLength], TensorRole.Matrix));
        list.Add(new(b + "nextn.enorm.weight", [c.EmbeddingLength], TensorRole.Norm));
        list.Add(new(b + "nextn.hnorm.weight", [c.EmbeddingLength], TensorRole.Norm));
        list.Add(new(b + "nextn.shared_head_norm.weight", [c.EmbeddingLength], TensorRole.Norm));
        list.Add(new(b + "nextn.shared_head_head.weight", [c.EmbeddingLength, c.VocabSize], TensorRole.Matrix));
        list.Add(new(b + "nextn.embed_tokens.weight", [c.EmbeddingLength, c.VocabSize], TensorRole.Matrix));
    }

    private static void AddSwiGlu(List<PlannedTensor> list, string b, string suffix, long embedding, long hidden)
    {
        list.Add(new(b + "ffn_gate" + suffix + ".weight", [embedding, hidden], TensorRole.Matrix));
        list.Add(new(b + "ffn_up" + suffix + ".weight", [embedding, hidden], TensorRole.Matrix));
        list.Add(new(b + "ffn_down" + suffix + ".weight", [hidden, embedding], TensorRole.Matrix));
    }
}
