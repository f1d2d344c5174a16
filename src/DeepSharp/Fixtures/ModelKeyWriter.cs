using DeepSharp.Formats.Gguf;
using DeepSharp.Models;
using DeepSharp.Quantization;

namespace DeepSharp.Fixtures;

/// <summary>
/// Writes the <c>general.*</c> and architecture metadata keys of a model as llama.cpp's converter writes them
/// (FACTS.md §3). Shared by the fixture generator and the trainer's GGUF exporter, so both produce files that
/// llama.cpp and DeepSharp read the same way.
/// </summary>
public static class ModelKeyWriter
{
    /// <summary>Adds the general and architecture keys of <paramref name="config"/> to <paramref name="w"/>.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="config">Hyperparameters.</param>
    /// <param name="name">Value of <c>general.name</c>.</param>
    /// <param name="weightType">Type of the matrices, for <c>general.file_type</c>.</param>
    /// <param name="kvLayout">deepseek2 only: how the KV up-projection is stored, which decides the attention keys.</param>
    public static void AddModelKeys(GgufWriter w, ModelConfig config, string name, GgmlType weightType, MlaKvLayout kvLayout)
    {
        var c = config;
        string arch = c.Architecture.ToGgufName();
        string p = arch + ".";
        w.Add("general.architecture", GgufValue.String(arch));
        w.Add("general.name", GgufValue.String(name));
        w.Add("general.file_type", GgufValue.UInt32(ModelFixtureWriter.FileType(weightType)));
        w.Add("general.quantization_version", GgufValue.UInt32(2));
        w.Add(p + "vocab_size", GgufValue.UInt32((uint)c.VocabSize));
        w.Add(p + "context_length", GgufValue.UInt32((uint)c.ContextLength));
        w.Add(p + "embedding_length", GgufValue.UInt32((uint)c.EmbeddingLength));
        w.Add(p + "block_count", GgufValue.UInt32((uint)(c.LayerCount + c.NextNLayerCount)));
        if (c.NextNLayerCount > 0)
        {
            w.Add(p + "nextn_predict_layers", GgufValue.UInt32((uint)c.NextNLayerCount));
        }
        w.Add(p + "feed_forward_length", GgufValue.UInt32((uint)c.FeedForwardLength));
        w.Add(p + "attention.head_count", GgufValue.UInt32((uint)c.HeadCount));
        w.Add(p + "attention.layer_norm_rms_epsilon", GgufValue.Float32(c.RmsNormEpsilon));
        w.Add(p + "rope.freq_base", GgufValue.Float32(c.RopeFreqBase));
        w.Add(p + "rope.dimension_count", GgufValue.UInt32((uint)c.RopeDimensionCount));
        if (c.Mla is { } mla)
        {
            AddDeepSeekKeys(w, p, c, mla, c.Moe ?? throw new ArgumentException("a deepseek2 model needs a MoE configuration"), kvLayout);
        }
        else
        {
            w.Add(p + "attention.head_count_kv", GgufValue.UInt32((uint)c.KeyValueHeadCount));
            w.Add(p + "attention.key_length", GgufValue.UInt32((uint)c.KeyLength));
            w.Add(p + "attention.value_length", GgufValue.UInt32((uint)c.ValueLength));
        }
        AddRopeScaling(w, p, c.RopeScaling);
    }

    private static void AddDeepSeekKeys(GgufWriter w, string p, ModelConfig c, MlaConfig mla, MoeConfig moe, MlaKvLayout layout)
    {
        if (layout == MlaKvLayout.Split)
        {
            // MLA-format files describe one shared KV "head" holding the latent and the rope key.
            w.Add(p + "attention.head_count_kv", GgufValue.UInt32(1));
            w.Add(p + "attention.key_length", GgufValue.UInt32((uint)(mla.KvLoraRank + mla.RopeHeadDim)));
            w.Add(p + "attention.value_length", GgufValue.UInt32((uint)mla.KvLoraRank));
            w.Add(p + "attention.key_length_mla", GgufValue.UInt32((uint)mla.QueryKeyHeadDim));
            w.Add(p + "attention.value_length_mla", GgufValue.UInt32((uint)mla.ValueHeadDim));
        }
        else
        {
            w.Add(p + "attention.head_count_kv", GgufValue.UInt32((uint)c.HeadCount));
            w.Add(p + "attention.key_length", GgufValue.UInt32((uint)mla.QueryKeyHeadDim));
            w.Add(p + "attention.value_length", GgufValue.UInt32((uint)mla.ValueHeadDim));
        }
        if (mla.QLoraRank > 0)
        {
            w.Add(p + "attention.q_lora_rank", GgufValue.UInt32((uint)mla.QLoraRank));
        }
        w.Add(p + "attention.kv_lora_rank", GgufValue.UInt32((uint)mla.KvLoraRank));
        w.Add(p + "leading_dense_block_count", GgufValue.UInt32((uint)moe.LeadingDenseLayers));
        w.Add(p + "expert_feed_forward_length", GgufValue.UInt32((uint)moe.ExpertFeedForwardLength));
        w.Add(p + "expert_count", GgufValue.UInt32((uint)moe.ExpertCount));
        w.Add(p + "expert_used_count", GgufValue.UInt32((uint)moe.ExpertsPerToken));
        w.Add(p + "expert_shared_count", GgufValue.UInt32((uint)moe.SharedExpertCount));
        w.Add(p + "expert_weights_scale", GgufValue.Float32(moe.WeightsScale));
        w.Add(p + "expert_weights_norm", GgufValue.Bool(moe.NormalizeTopK));
        w.Add(p + "expert_gating_func", GgufValue.UInt32((uint)moe.Gating));
        w.Add(p + "expert_group_count", GgufValue.UInt32((uint)moe.GroupCount));
        w.Add(p + "expert_group_used_count", GgufValue.UInt32((uint)moe.GroupsUsed));
    }

    private static void AddRopeScaling(GgufWriter w, string p, RopeScaling scaling)
    {
        if (scaling.Kind is "none" or "llama3")
        {
            return;
        }
        w.Add(p + "rope.scaling.type", GgufValue.String(scaling.Kind));
        w.Add(p + "rope.scaling.factor", GgufValue.Float32((float)scaling.Factor));
        w.Add(p + "rope.scaling.original_context_length", GgufValue.UInt32((uint)scaling.OriginalContextLength));
        if (scaling.Kind == "yarn")
        {
            w.Add(p + "rope.scaling.yarn_log_multiplier", GgufValue.Float32((float)scaling.YarnLogMultiplier));
            w.Add(p + "rope.scaling.yarn_beta_fast", GgufValue.Float32((float)scaling.YarnBetaFast));
            w.Add(p + "rope.scaling.yarn_beta_slow", GgufValue.Float32((float)scaling.YarnBetaSlow));
        }
    }
}
