using DeepSharp.Fixtures;
using DeepSharp.Formats.Gguf;
using DeepSharp.Quantization;
using DeepSharp.Training.Modeling;
using DeepSharp.Training.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepSharp.Training.Export;

/// <summary>
/// Writes a trained model as a deepseek2 GGUF with the tensor names, shapes and keys of
/// <see cref="FixtureTensorPlan"/> and <see cref="ModelKeyWriter"/>: MLA as split <c>attn_k_b</c>/<c>attn_v_b</c>
/// (latent cache) or merged <c>attn_kv_b</c>, the router selection bias as <c>exp_probs_b.bias</c>. Matrices are
/// F32 or F16; norms, the router and the bias stay F32.
/// </summary>
public static class GgufExporter
{
    /// <summary>Writes <paramref name="model"/> with <paramref name="tokenizer"/> to <paramref name="path"/>.</summary>
    public static void Write(TinyDeepSeek model, BpeTokenizer tokenizer, string path, MlaKvLayout layout, GgmlType matrixType = GgmlType.F32, string name = "deepsharp-tiny-r1")
    {
        if (matrixType is not (GgmlType.F32 or GgmlType.F16))
        {
            throw new NotSupportedException($"the exporter writes F32 or F16 matrices, not {matrixType}");
        }
        if (tokenizer.VocabSize != model.Config.VocabSize)
        {
            throw new ArgumentException($"tokenizer has {tokenizer.VocabSize} tokens, model {model.Config.VocabSize}", nameof(tokenizer));
        }
        var spec = new FixtureSpec(name, model.Config, matrixType) { KvLayout = layout, RouterBias = true };
        var weights = Collect(model, layout);
        var w = new GgufWriter();
        ModelKeyWriter.AddModelKeys(w, model.Config, name, matrixType, layout);
        TokenizerMetadata.Add(w, tokenizer);
        foreach (var t in FixtureTensorPlan.For(spec))
        {
            float[] data = weights.TryGetValue(t.Name, out var d) ? d : throw new InvalidOperationException($"the model has no weights for '{t.Name}'");
            long count = t.Dimensions.Aggregate(1L, (a, b) => a * b);
            if (data.Length != count)
            {
                throw new InvalidOperationException($"'{t.Name}' has {data.Length} values, the plan wants {count}");
            }
            var type = t.Role == TensorRole.Matrix ? matrixType : GgmlType.F32;
            w.AddTensor(t.Name, t.Dimensions, type, Encode(data, type));
        }
        string temporary = path + ".tmp";
        w.WriteTo(temporary);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Every exported tensor as a flat float array in ggml order, keyed by GGUF name.</summary>
    public static Dictionary<string, float[]> Collect(TinyDeepSeek model, MlaKvLayout layout)
    {
        var mla = model.Config.Mla!;
        int h = model.Config.HeadCount;
        var map = new Dictionary<string, float[]>(StringComparer.Ordinal)
        {
            ["token_embd.weight"] = Floats(model.Embedding.weight!),
            ["output_norm.weight"] = Floats(model.OutputNorm.Weight),
            ["output.weight"] = Floats(model.Output.weight!),
        };
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            var a = layer.Attention;
            string b = $"blk.{i}.";
            map[b + "attn_norm.weight"] = Floats(layer.AttentionNorm.Weight);
            map[b + "attn_q_a.weight"] = Floats(a.QA.weight!);
            map[b + "attn_q_a_norm.weight"] = Floats(a.QANorm.Weight);
            map[b + "attn_q_b.weight"] = Floats(a.QB.weight!);
            map[b + "attn_kv_a_mqa.weight"] = Floats(a.KvA.weight!);
            map[b + "attn_kv_a_norm.weight"] = Floats(a.KvANorm.Weight);
            if (layout == MlaKvLayout.Merged)
            {
                map[b + "attn_kv_b.weight"] = Floats(a.KvB.weight!);
            }
            else
            {
                using var scope = NewDisposeScope();
                var perHead = a.KvB.weight!.detach().view(h, mla.NopeHeadDim + mla.ValueHeadDim, mla.KvLoraRank);
                // attn_k_b holds each head's K rows transposed ([H, Lkv, dn]); attn_v_b its V rows ([H, dv, Lkv]).
                map[b + "attn_k_b.weight"] = Floats(perHead.narrow(1, 0, mla.NopeHeadDim).transpose(1, 2));
                map[b + "attn_v_b.weight"] = Floats(perHead.narrow(1, mla.NopeHeadDim, mla.ValueHeadDim));
            }
            map[b + "attn_output.weight"] = Floats(a.Output.weight!);
            map[b + "ffn_norm.weight"] = Floats(layer.FfnNorm.Weight);
            if (layer.Moe is { } moe)
            {
                map[b + "ffn_gate_inp.weight"] = Floats(moe.Router);
                map[b + "exp_probs_b.bias"] = Floats(moe.SelectionBias);
                map[b + "ffn_gate_exps.weight"] = Floats(moe.GateExperts);
                map[b + "ffn_up_exps.weight"] = Floats(moe.UpExperts);
                map[b + "ffn_down_exps.weight"] = Floats(moe.DownExperts);
                if (moe.Shared is { } shared)
                {
                    AddSwiGlu(map, b, "_shexp", shared);
                }
            }
            else
            {
                AddSwiGlu(map, b, "", layer.Dense!);
            }
        }
        return map;
    }

    private static void AddSwiGlu(Dictionary<string, float[]> map, string b, string suffix, SwiGlu f)
    {
        map[b + "ffn_gate" + suffix + ".weight"] = Floats(f.Gate.weight!);
        map[b + "ffn_up" + suffix + ".weight"] = Floats(f.Up.weight!);
        map[b + "ffn_down" + suffix + ".weight"] = Floats(f.Down.weight!);
    }

    private static float[] Floats(Tensor t)
    {
        using var c = t.detach().contiguous();
        return c.data<float>().ToArray();
    }

    private static byte[] Encode(float[] data, GgmlType type)
    {
        if (type == GgmlType.F32)
        {
            var bytes = new byte[data.Length * 4];
            Buffer.BlockCopy(data, 0, bytes, 0, bytes.Length);
            return bytes;
        }
        var half = new byte[data.Length * 2];
        for (int i = 0; i < data.Length; i++)
        {
            BitConverter.TryWriteBytes(half.AsSpan(i * 2), (Half)data[i]);
        }
        return half;
    }
}
