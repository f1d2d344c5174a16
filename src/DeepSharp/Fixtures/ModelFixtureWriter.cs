using System.Buffers.Binary;
using DeepSharp.Formats.Gguf;
using DeepSharp.Models;
using DeepSharp.Quantization;

namespace DeepSharp.Fixtures;

/// <summary>
/// Writes random-weight GGUF models that llama.cpp and DeepSharp both load: metadata keys as llama.cpp's
/// converter writes them, a valid byte-level BPE vocabulary, and seeded random tensor data. Speed and logit
/// agreement do not depend on trained weights, so these files stand in for real models in tests and benchmarks.
/// </summary>
public static class ModelFixtureWriter
{
    /// <summary>Writes the fixture described by <paramref name="spec"/> to <paramref name="path"/>.</summary>
    public static void Write(FixtureSpec spec, string path)
    {
        var writer = CreateWriter(spec);
        string temporary = path + ".tmp";
        writer.WriteTo(temporary);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Builds the writer (metadata and streamed tensors) for <paramref name="spec"/>.</summary>
    public static GgufWriter CreateWriter(FixtureSpec spec)
    {
        if (!RandomBlockWriter.SupportedTypes.Contains(spec.WeightType))
        {
            throw new NotSupportedException($"the fixture generator cannot write weights of type {spec.WeightType}");
        }
        var c = spec.Config;
        var w = new GgufWriter();
        string arch = c.Architecture.ToGgufName();
        string p = arch + ".";
        w.Add("general.architecture", GgufValue.String(arch));
        w.Add("general.name", GgufValue.String(spec.Name));
        w.Add("general.file_type", GgufValue.UInt32(FileType(spec.WeightType)));
        w.Add("general.quantization_version", GgufValue.UInt32(2));
        w.Add(p + "vocab_size", GgufValue.UInt32((uint)c.VocabSize));
        w.Add(p + "context_length", GgufValue.UInt32((uint)c.ContextLength));
        w.Add(p + "embedding_length", GgufValue.UInt32((uint)c.EmbeddingLength));
        w.Add(p + "block_count", GgufValue.UInt32((uint)c.LayerCount));
        w.Add(p + "feed_forward_length", GgufValue.UInt32((uint)c.FeedForwardLength));
        w.Add(p + "attention.head_count", GgufValue.UInt32((uint)c.HeadCount));
        w.Add(p + "attention.layer_norm_rms_epsilon", GgufValue.Float32(c.RmsNormEpsilon));
        w.Add(p + "rope.freq_base", GgufValue.Float32(c.RopeFreqBase));
        w.Add(p + "rope.dimension_count", GgufValue.UInt32((uint)c.RopeDimensionCount));
        if (c.Mla is { } mla)
        {
            AddDeepSeekKeys(w, p, spec, mla, c.Moe ?? throw new ArgumentException("a deepseek2 fixture needs a MoE configuration"));
        }
        else
        {
            w.Add(p + "attention.head_count_kv", GgufValue.UInt32((uint)c.KeyValueHeadCount));
            w.Add(p + "attention.key_length", GgufValue.UInt32((uint)c.KeyLength));
            w.Add(p + "attention.value_length", GgufValue.UInt32((uint)c.ValueLength));
        }
        AddRopeScaling(w, p, c.RopeScaling);
        AddTokenizer(w, spec);
        foreach (var t in FixtureTensorPlan.For(spec))
        {
            AddTensor(w, spec, t);
        }
        return w;
    }

    private static void AddDeepSeekKeys(GgufWriter w, string p, FixtureSpec spec, MlaConfig mla, MoeConfig moe)
    {
        var c = spec.Config;
        if (spec.KvLayout == MlaKvLayout.Split)
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

    private static void AddTokenizer(GgufWriter w, FixtureSpec spec)
    {
        if (spec.VocabularyFrom is { } source)
        {
            using var vocabFile = GgufFile.Open(source);
            var tokens = vocabFile.Metadata.GetStringArrayOrNull("tokenizer.ggml.tokens")
                ?? throw new InvalidDataException($"'{source}' has no tokenizer.ggml.tokens");
            if (tokens.Length != spec.Config.VocabSize)
            {
                throw new ArgumentException($"the vocabulary of '{source}' has {tokens.Length} tokens but the model has {spec.Config.VocabSize}");
            }
            foreach (var (key, value) in vocabFile.Metadata.Pairs)
            {
                if (key.StartsWith("tokenizer.", StringComparison.Ordinal) && !(key == "tokenizer.chat_template" && spec.ChatTemplate is not null))
                {
                    w.Add(key, value);
                }
            }
        }
        else
        {
            var vocab = SyntheticVocabulary.Create(spec.Config.VocabSize, spec.Seed);
            w.Add("tokenizer.ggml.model", GgufValue.String("gpt2"));
            w.Add("tokenizer.ggml.pre", GgufValue.String(PreTokenizerName(spec.Config.Architecture)));
            w.Add("tokenizer.ggml.tokens", GgufValue.StringArray(vocab.Tokens));
            w.Add("tokenizer.ggml.token_type", GgufValue.Int32Array(vocab.TokenTypes));
            w.Add("tokenizer.ggml.merges", GgufValue.StringArray(vocab.Merges));
            w.Add("tokenizer.ggml.bos_token_id", GgufValue.UInt32((uint)vocab.BosId));
            w.Add("tokenizer.ggml.eos_token_id", GgufValue.UInt32((uint)vocab.EosId));
            w.Add("tokenizer.ggml.add_bos_token", GgufValue.Bool(true));
            w.Add("tokenizer.ggml.add_eos_token", GgufValue.Bool(false));
        }
        if (spec.ChatTemplate is { } template)
        {
            w.Add("tokenizer.chat_template", GgufValue.String(template));
        }
    }

    private static void AddTensor(GgufWriter w, FixtureSpec spec, PlannedTensor t)
    {
        long elements = t.Dimensions.Aggregate(1L, (a, d) => checked(a * d));
        var rng = FixtureRandom.ForStream(spec.Seed, t.Name);
        switch (t.Role)
        {
            case TensorRole.Norm:
                w.AddTensor(t.Name, t.Dimensions, GgmlType.F32, s => RandomBlockWriter.WriteNormWeights(s, elements, 0.1f, rng));
                break;
            case TensorRole.Bias:
                w.AddTensor(t.Name, t.Dimensions, GgmlType.F32, s => RandomBlockWriter.Write(s, GgmlType.F32, elements, spec.WeightSigma, rng));
                break;
            case TensorRole.RopeFrequencyFactors:
                w.AddTensor(t.Name, t.Dimensions, GgmlType.F32, s => WriteFloats(s, Llama3RopeFactors.Compute(spec.Config.RopeFreqBase, spec.Config.RopeDimensionCount)));
                break;
            case TensorRole.Router:
                w.AddTensor(t.Name, t.Dimensions, GgmlType.F32, s => RandomBlockWriter.Write(s, GgmlType.F32, elements, spec.WeightSigma, rng));
                break;
            default:
                var type = QuantTypeFallback.For(spec.WeightType, t.Dimensions[0]);
                w.AddTensor(t.Name, t.Dimensions, type, s => RandomBlockWriter.Write(s, type, elements, spec.WeightSigma, rng));
                break;
        }
    }

    private static void WriteFloats(Stream stream, float[] values)
    {
        Span<byte> four = stackalloc byte[4];
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(four, v);
            stream.Write(four);
        }
    }

    /// <summary>The pre-tokenizer name a real model of this family carries.</summary>
    public static string PreTokenizerName(ModelArchitecture architecture) => architecture switch
    {
        ModelArchitecture.Llama => "llama-bpe",
        ModelArchitecture.Qwen2 or ModelArchitecture.Qwen3 => "qwen2",
        _ => "deepseek-v3",
    };

    /// <summary>llama.cpp's <c>general.file_type</c> (llama_ftype) for a uniform weight type.</summary>
    public static uint FileType(GgmlType type) => type switch
    {
        GgmlType.F32 => 0,
        GgmlType.F16 => 1,
        GgmlType.Q4_0 => 2,
        GgmlType.Q4_1 => 3,
        GgmlType.Q8_0 => 7,
        GgmlType.Q5_0 => 8,
        GgmlType.Q5_1 => 9,
        GgmlType.Q2_K => 10,
        GgmlType.Q3_K => 12,
        GgmlType.Q4_K => 15,
        GgmlType.Q5_K => 17,
        GgmlType.Q6_K => 18,
        GgmlType.IQ4_NL => 25,
        GgmlType.IQ4_XS => 30,
        GgmlType.BF16 => 32,
        _ => throw new NotSupportedException($"no llama.cpp file type for {type}"),
    };
}
