using DeepSharp.Formats.Gguf;

namespace DeepSharp.Models;

/// <summary>
/// Reads a <see cref="ModelConfig"/> from GGUF metadata and tensor names, following the keys llama.cpp's
/// converter writes (FACTS.md §3). Missing required keys give an error naming the key.
/// </summary>
public static class GgufModelConfigReader
{
    /// <summary>Reads the configuration of the model in <paramref name="file"/>.</summary>
    /// <exception cref="InvalidDataException">A key is missing or inconsistent, or the architecture is not supported.</exception>
    public static ModelConfig Read(GgufFile file)
    {
        var m = file.Metadata;
        string archName = m.GetStringOrNull("general.architecture")
            ?? throw new InvalidDataException("model file lacks metadata key 'general.architecture'");
        if (!ModelArchitectureNames.TryParse(archName, out var arch))
        {
            throw new InvalidDataException($"unsupported architecture '{archName}' (supported: llama, qwen2, qwen3, deepseek2)");
        }
        string p = archName + ".";
        int Required(string key) => checked((int)Positive(m, p + key));
        int Optional(string key, int fallback) => checked((int)m.GetInt64(p + key, fallback));

        int embedding = Required("embedding_length");
        int heads = Required("attention.head_count");
        int headsKv = Optional("attention.head_count_kv", heads);
        int keyLength = Optional("attention.key_length", embedding / heads);
        int valueLength = Optional("attention.value_length", keyLength);
        int ropeDims = Optional("rope.dimension_count", keyLength);
        int nextN = Optional("nextn_predict_layers", 0);
        if (nextN < 0 || nextN >= Required("block_count"))
        {
            throw new InvalidDataException($"nextn_predict_layers {nextN} leaves no main layers of block_count {Required("block_count")}");
        }

        var config = new ModelConfig
        {
            Architecture = arch,
            VocabSize = VocabSize(file, p),
            EmbeddingLength = embedding,
            LayerCount = Required("block_count") - nextN,
            NextNLayerCount = nextN,
            FeedForwardLength = Optional("feed_forward_length", 0),
            HeadCount = heads,
            KeyValueHeadCount = headsKv,
            KeyLength = keyLength,
            ValueLength = valueLength,
            ContextLength = Required("context_length"),
            RmsNormEpsilon = (float)m.GetDouble(p + "attention.layer_norm_rms_epsilon", 1e-5),
            RopeFreqBase = (float)m.GetDouble(p + "rope.freq_base", 10000),
            RopeDimensionCount = ropeDims,
            RopeNeox = arch is ModelArchitecture.Qwen2 or ModelArchitecture.Qwen3,
            RopeScaling = ReadRopeScaling(file, p),
            QkvBias = file.TryGetTensor("blk.0.attn_q.bias", out _),
            QkNorm = file.TryGetTensor("blk.0.attn_q_norm.weight", out _),
            TiedEmbeddings = !file.TryGetTensor("output.weight", out _),
        };
        if (headsKv <= 0 || heads % headsKv != 0)
        {
            throw new InvalidDataException($"head_count {heads} is not a multiple of head_count_kv {headsKv}");
        }
        return arch == ModelArchitecture.DeepSeek2 ? config with { Mla = ReadMla(file, p, config), Moe = ReadMoe(m, p) } : config;
    }

    private static long Positive(GgufMetadata m, string key)
    {
        if (!m.Contains(key))
        {
            throw new InvalidDataException($"model file lacks metadata key '{key}'");
        }
        long v = m.GetInt64(key);
        return v > 0 && v <= int.MaxValue ? v : throw new InvalidDataException($"metadata key '{key}' is {v}, not a positive 32-bit count");
    }

    private static int VocabSize(GgufFile file, string p)
    {
        if (file.TryGetTensor("token_embd.weight", out var embd) && embd.Dimensions.Count >= 2)
        {
            return checked((int)embd.Dimensions[1]);
        }
        if (file.Metadata.Contains(p + "vocab_size"))
        {
            return checked((int)file.Metadata.GetInt64(p + "vocab_size"));
        }
        return file.Metadata.GetStringArrayOrNull("tokenizer.ggml.tokens")?.Length
            ?? throw new InvalidDataException("cannot tell the vocabulary size: no token_embd.weight, vocab_size or token list");
    }

    private static RopeScaling ReadRopeScaling(GgufFile file, string p)
    {
        var m = file.Metadata;
        string kind = m.GetStringOrNull(p + "rope.scaling.type") ?? (file.TryGetTensor("rope_freqs.weight", out _) ? "llama3" : "none");
        double factor = m.GetDouble(p + "rope.scaling.factor", 1);
        if (kind == "none" || (kind is "linear" or "yarn" && factor <= 1))
        {
            return kind == "llama3" ? new RopeScaling("llama3", 1, 0) : RopeScaling.None;
        }
        return new RopeScaling(
            kind,
            factor,
            (int)m.GetInt64(p + "rope.scaling.original_context_length", m.GetInt64(p + "context_length", 0)),
            m.GetDouble(p + "rope.scaling.yarn_beta_fast", 32),
            m.GetDouble(p + "rope.scaling.yarn_beta_slow", 1),
            m.GetDouble(p + "rope.scaling.yarn_log_multiplier", 0));
    }

    private static MlaConfig ReadMla(GgufFile file, string p, ModelConfig config)
    {
        var m = file.Metadata;
        int kvLora = checked((int)Positive(m, p + "attention.kv_lora_rank"));
        int qLora = (int)m.GetInt64(p + "attention.q_lora_rank", 0);
        int rope = config.RopeDimensionCount;
        // MLA-format files store the per-head sizes under *_mla; legacy files store them as key/value_length.
        int keyMla = (int)m.GetInt64(p + "attention.key_length_mla", config.KeyLength);
        int valueMla = (int)m.GetInt64(p + "attention.value_length_mla", config.ValueLength);
        if (keyMla <= rope)
        {
            throw new InvalidDataException($"deepseek2 key length {keyMla} is not larger than the rope dimension {rope}");
        }
        return new MlaConfig(qLora, kvLora, rope, keyMla - rope, valueMla);
    }

    private static MoeConfig ReadMoe(GgufMetadata m, string p)
    {
        int experts = checked((int)Positive(m, p + "expert_count"));
        int used = checked((int)Positive(m, p + "expert_used_count"));
        if (used > experts)
        {
            throw new InvalidDataException($"expert_used_count {used} exceeds expert_count {experts}");
        }
        long gating = m.GetInt64(p + "expert_gating_func", 1);
        return new MoeConfig(
            experts,
            used,
            (int)m.GetInt64(p + "expert_shared_count", 0),
            checked((int)Positive(m, p + "expert_feed_forward_length")),
            (int)m.GetInt64(p + "leading_dense_block_count", 0),
            gating == 2 ? ExpertGating.Sigmoid : ExpertGating.Softmax,
            m.GetBool(p + "expert_weights_norm", false),
            (float)m.GetDouble(p + "expert_weights_scale", 1),
            Math.Max(1, (int)m.GetInt64(p + "expert_group_count", 1)),
            Math.Max(1, (int)m.GetInt64(p + "expert_group_used_count", 1)));
    }
}
