using System.Runtime.InteropServices;
using DeepSharp.Fixtures;
using DeepSharp.Formats.Gguf;
using DeepSharp.Models;
using DeepSharp.Quantization;
using DeepSharp.Training.Modeling;
using DeepSharp.Training.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepSharp.Training.Export;

/// <summary>Loads a deepseek2 GGUF written by <see cref="GgufExporter"/> (either MLA layout, F32 or F16) back into a <see cref="TinyDeepSeek"/>.</summary>
public static class GgufImporter
{
    /// <summary>Reads the model and its tokenizer from <paramref name="path"/>.</summary>
    public static (TinyDeepSeek Model, BpeTokenizer Tokenizer) Load(string path)
    {
        using var file = GgufFile.Open(path);
        var config = GgufModelConfigReader.Read(file);
        var tokenizer = TokenizerMetadata.Read(file);
        var model = new TinyDeepSeek(config);
        var layout = file.TryGetTensor("blk.0.attn_kv_b.weight", out _) ? MlaKvLayout.Merged : MlaKvLayout.Split;
        var mla = config.Mla!;
        int h = config.HeadCount;
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        Copy(file, "token_embd.weight", model.Embedding.weight!);
        Copy(file, "output_norm.weight", model.OutputNorm.Weight);
        Copy(file, "output.weight", model.Output.weight!);
        for (int i = 0; i < model.Layers.Count; i++)
        {
            var layer = model.Layers[i];
            var a = layer.Attention;
            string b = $"blk.{i}.";
            Copy(file, b + "attn_norm.weight", layer.AttentionNorm.Weight);
            Copy(file, b + "attn_q_a.weight", a.QA.weight!);
            Copy(file, b + "attn_q_a_norm.weight", a.QANorm.Weight);
            Copy(file, b + "attn_q_b.weight", a.QB.weight!);
            Copy(file, b + "attn_kv_a_mqa.weight", a.KvA.weight!);
            Copy(file, b + "attn_kv_a_norm.weight", a.KvANorm.Weight);
            if (layout == MlaKvLayout.Merged)
            {
                Copy(file, b + "attn_kv_b.weight", a.KvB.weight!);
            }
            else
            {
                var kb = Read(file, b + "attn_k_b.weight").view(h, mla.KvLoraRank, mla.NopeHeadDim).transpose(1, 2);
                var vb = Read(file, b + "attn_v_b.weight").view(h, mla.ValueHeadDim, mla.KvLoraRank);
                a.KvB.weight!.copy_(cat([kb, vb], 1).reshape(a.KvB.weight!.shape));
            }
            Copy(file, b + "attn_output.weight", a.Output.weight!);
            Copy(file, b + "ffn_norm.weight", layer.FfnNorm.Weight);
            if (layer.Moe is { } moe)
            {
                Copy(file, b + "ffn_gate_inp.weight", moe.Router);
                if (file.TryGetTensor(b + "exp_probs_b.bias", out _))
                {
                    Copy(file, b + "exp_probs_b.bias", moe.SelectionBias);
                }
                Copy(file, b + "ffn_gate_exps.weight", moe.GateExperts);
                Copy(file, b + "ffn_up_exps.weight", moe.UpExperts);
                Copy(file, b + "ffn_down_exps.weight", moe.DownExperts);
                if (moe.Shared is { } shared)
                {
                    CopySwiGlu(file, b, "_shexp", shared);
                }
            }
            else
            {
                CopySwiGlu(file, b, "", layer.Dense!);
            }
        }
        return (model, tokenizer);
    }

    private static void CopySwiGlu(GgufFile file, string b, string suffix, SwiGlu f)
    {
        Copy(file, b + "ffn_gate" + suffix + ".weight", f.Gate.weight!);
        Copy(file, b + "ffn_up" + suffix + ".weight", f.Up.weight!);
        Copy(file, b + "ffn_down" + suffix + ".weight", f.Down.weight!);
    }

    private static void Copy(GgufFile file, string name, Tensor target)
    {
        var source = Read(file, name);
        if (source.numel() != target.numel())
        {
            throw new InvalidDataException($"tensor '{name}' has {source.numel()} values, the model expects {target.numel()}");
        }
        target.copy_(source.view(target.shape));
    }

    private static Tensor Read(GgufFile file, string name)
    {
        var info = file.GetTensor(name);
        var bytes = file.GetBytes(info);
        var values = new float[info.ElementCount];
        switch (info.Type)
        {
            case GgmlType.F32:
                MemoryMarshal.Cast<byte, float>(bytes.AsSpan()).CopyTo(values);
                break;
            case GgmlType.F16:
                var halves = MemoryMarshal.Cast<byte, Half>(bytes.AsSpan());
                for (int i = 0; i < values.Length; i++)
                {
                    values[i] = (float)halves[i];
                }
                break;
            default:
                throw new NotSupportedException($"tensor '{name}' is {info.Type}; the importer reads F32 and F16");
        }
        return tensor(values);
    }
}
