using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeepSharp.Formats.Gguf;
using DeepSharp.Inspection;

namespace DeepSharp.Cli;

/// <summary><c>deepsharp info MODEL [--tensors] [--json]</c>: what a GGUF file holds.</summary>
internal static class InfoCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Path to a GGUF file" };
        var tensors = new Option<bool>("--tensors") { Description = "List every tensor with its type, shape and size" };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text" };
        var command = new Command("info", "Show a model's architecture, hyperparameters, parameter counts, tensor types and KV-cache size")
        {
            model, tensors, json,
        };
        command.SetAction(r => CliErrors.Guard(() => Run(r.GetValue(model)!, r.GetValue(tensors), r.GetValue(json), Console.Out)));
        return command;
    }

    public static int Run(string path, bool listTensors, bool asJson, TextWriter output)
    {
        using var file = GgufFile.Open(path);
        var summary = ModelSummary.Of(file);
        if (asJson)
        {
            output.WriteLine(ToJson(summary, listTensors ? file.Tensors : null).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        }
        else
        {
            WriteText(summary, listTensors ? file.Tensors : null, output);
        }
        return 0;
    }

    private static void WriteText(ModelSummary s, IReadOnlyList<GgufTensorInfo>? tensors, TextWriter o)
    {
        o.WriteLine($"name:              {s.Name ?? "(none)"}");
        o.WriteLine($"architecture:      {s.Architecture ?? "(none)"}");
        o.WriteLine($"file:              {Bytes(s.FileBytes)}, GGUF v{s.GgufVersion}");
        if (s.Config is { } c)
        {
            o.WriteLine($"layers:            {c.LayerCount}" + (c.NextNLayerCount > 0 ? $" (+{c.NextNLayerCount} multi-token prediction)" : ""));
            o.WriteLine($"embedding:         {c.EmbeddingLength}");
            o.WriteLine($"heads (q/kv):      {c.HeadCount}/{c.KeyValueHeadCount}, key {c.KeyLength}, value {c.ValueLength}");
            o.WriteLine($"feed-forward:      {c.FeedForwardLength}");
            o.WriteLine($"vocabulary:        {c.VocabSize}");
            o.WriteLine($"context:           {c.ContextLength}");
            o.WriteLine($"rope:              base {c.RopeFreqBase}, {c.RopeDimensionCount} dims, {(c.RopeNeox ? "neox" : "normal")} pairs, scaling {c.RopeScaling.Kind}" +
                        (c.RopeScaling.Kind == "none" ? "" : $" x{c.RopeScaling.Factor}"));
            o.WriteLine($"rms eps:           {c.RmsNormEpsilon}");
            if (c.Mla is { } mla)
            {
                o.WriteLine($"MLA:               q_lora {mla.QLoraRank}, kv_lora {mla.KvLoraRank}, rope {mla.RopeHeadDim}, nope {mla.NopeHeadDim}, v {mla.ValueHeadDim}");
            }
            if (c.Moe is { } moe)
            {
                o.WriteLine($"experts:           {moe.ExpertCount} routed, {moe.ExpertsPerToken} per token, {moe.SharedExpertCount} shared, width {moe.ExpertFeedForwardLength}, " +
                            $"{moe.LeadingDenseLayers} leading dense layers, {moe.Gating.ToString().ToLowerInvariant()} gating, groups {moe.GroupsUsed}/{moe.GroupCount}, scale {moe.WeightsScale}, norm {moe.NormalizeTopK}");
            }
            string perLayer = c.Mla is { } latent
                ? $"MLA latent: ({latent.KvLoraRank} + {latent.RopeHeadDim}) × {c.LayerCount} layers × 2 B"
                : $"{c.KeyValueHeadCount} KV heads × ({c.KeyLength} + {c.ValueLength}) × {c.LayerCount} layers × 2 B";
            o.WriteLine($"KV cache:          {s.KvBytesPerToken:N0} bytes per token (F16, {perLayer}); {Bytes(s.KvBytesPerToken!.Value * 32768)} at 32K tokens");
        }
        else if (s.ConfigError is not null)
        {
            o.WriteLine($"model:             none ({s.ConfigError})");
        }
        o.WriteLine($"parameters:        {Count(s.TotalParameters)} total" + (s.ActiveParameters != s.TotalParameters ? $", {Count(s.ActiveParameters)} active per token" : ""));
        if (s.Config is not null)
        {
            o.WriteLine($"weights per token: {Bytes(s.ActiveWeightBytes)} read to decode one token" + (s.Config.Moe is { } m ? $" ({m.ExpertsPerToken} of {m.ExpertCount} routed experts per MoE layer)" : ""));
        }
        foreach (var t in s.TensorTypes)
        {
            o.WriteLine($"  {t.Type,-8} {t.Tensors,5} tensors {Count(t.Elements),10} params {Bytes(t.Bytes),12}");
        }
        o.WriteLine($"tokenizer:         {s.TokenizerModel ?? "(none)"}, pre {s.PreTokenizer ?? "(none)"}, {s.TokenCount} tokens");
        o.WriteLine($"chat template:     {(s.HasChatTemplate ? "present" : "absent")}");
        if (s.UnsupportedTensors.Count > 0)
        {
            o.WriteLine($"unsupported:       {s.UnsupportedTensors.Count} tensors, e.g. {s.UnsupportedTensors[0]}");
        }
        if (tensors is not null)
        {
            o.WriteLine("tensors:");
            foreach (var t in tensors)
            {
                o.WriteLine($"  {t.Name,-40} {t.Type,-8} [{string.Join(", ", t.Dimensions),-24}] {Bytes(t.ByteSize),12}");
            }
        }
    }

    private static JsonObject ToJson(ModelSummary s, IReadOnlyList<GgufTensorInfo>? tensors)
    {
        var json = new JsonObject
        {
            ["name"] = s.Name,
            ["architecture"] = s.Architecture,
            ["gguf_version"] = s.GgufVersion,
            ["file_bytes"] = s.FileBytes,
            ["total_parameters"] = s.TotalParameters,
            ["active_parameters"] = s.ActiveParameters,
            ["active_weight_bytes"] = s.ActiveWeightBytes,
            ["kv_bytes_per_token"] = s.KvBytesPerToken,
            ["tokenizer_model"] = s.TokenizerModel,
            ["pre_tokenizer"] = s.PreTokenizer,
            ["token_count"] = s.TokenCount,
            ["chat_template"] = s.HasChatTemplate,
            ["tensor_types"] = new JsonArray(s.TensorTypes.Select(t => (JsonNode)new JsonObject
            {
                ["type"] = t.Type.ToString(), ["tensors"] = t.Tensors, ["elements"] = t.Elements, ["bytes"] = t.Bytes,
            }).ToArray()),
            ["unsupported_tensors"] = new JsonArray(s.UnsupportedTensors.Select(n => (JsonNode)JsonValue.Create(n)).ToArray()),
        };
        if (s.Config is { } c)
        {
            var hp = new JsonObject
            {
                ["layers"] = c.LayerCount, ["embedding_length"] = c.EmbeddingLength, ["feed_forward_length"] = c.FeedForwardLength,
                ["head_count"] = c.HeadCount, ["head_count_kv"] = c.KeyValueHeadCount, ["key_length"] = c.KeyLength,
                ["value_length"] = c.ValueLength, ["vocab_size"] = c.VocabSize, ["context_length"] = c.ContextLength,
                ["rope_freq_base"] = c.RopeFreqBase, ["rope_dimension_count"] = c.RopeDimensionCount,
                ["rope_scaling"] = c.RopeScaling.Kind, ["rms_norm_epsilon"] = c.RmsNormEpsilon,
            };
            if (c.Mla is { } mla)
            {
                hp["q_lora_rank"] = mla.QLoraRank;
                hp["kv_lora_rank"] = mla.KvLoraRank;
                hp["qk_rope_head_dim"] = mla.RopeHeadDim;
                hp["qk_nope_head_dim"] = mla.NopeHeadDim;
                hp["v_head_dim"] = mla.ValueHeadDim;
            }
            if (c.Moe is { } moe)
            {
                hp["expert_count"] = moe.ExpertCount;
                hp["experts_per_token"] = moe.ExpertsPerToken;
                hp["shared_expert_count"] = moe.SharedExpertCount;
                hp["expert_feed_forward_length"] = moe.ExpertFeedForwardLength;
                hp["leading_dense_layers"] = moe.LeadingDenseLayers;
                hp["expert_gating"] = moe.Gating.ToString().ToLowerInvariant();
                hp["expert_group_count"] = moe.GroupCount;
                hp["expert_group_used_count"] = moe.GroupsUsed;
                hp["expert_weights_norm"] = moe.NormalizeTopK;
                hp["expert_weights_scale"] = moe.WeightsScale;
                hp["nextn_predict_layers"] = c.NextNLayerCount;
            }
            json["hyperparameters"] = hp;
        }
        else
        {
            json["model_error"] = s.ConfigError;
        }
        if (tensors is not null)
        {
            json["tensors"] = new JsonArray(tensors.Select(t => (JsonNode)new JsonObject
            {
                ["name"] = t.Name, ["type"] = t.Type.ToString(),
                ["dimensions"] = new JsonArray(t.Dimensions.Select(d => (JsonNode)JsonValue.Create(d)).ToArray()),
                ["bytes"] = t.ByteSize,
            }).ToArray());
        }
        return json;
    }

    private static string Count(long n) => n switch
    {
        >= 1_000_000_000 => (n / 1e9).ToString("0.00", CultureInfo.InvariantCulture) + "B",
        >= 1_000_000 => (n / 1e6).ToString("0.00", CultureInfo.InvariantCulture) + "M",
        >= 1_000 => (n / 1e3).ToString("0.0", CultureInfo.InvariantCulture) + "K",
        _ => n.ToString(CultureInfo.InvariantCulture),
    };

    private static string Bytes(long n) => n switch
    {
        >= 1L << 30 => (n / (double)(1L << 30)).ToString("0.00", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (n / (double)(1L << 20)).ToString("0.00", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (n / 1024.0).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => n.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
