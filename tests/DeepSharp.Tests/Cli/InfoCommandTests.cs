using System.Text.Json;
using DeepSharp.Cli;
using DeepSharp.Fixtures;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Cli;

public sealed class InfoCommandTests
{
    [Fact]
    public void JsonReportsTheModel()
    {
        string path = Path.Combine(Path.GetTempPath(), $"deepsharp-info-{Guid.NewGuid():N}.gguf");
        try
        {
            ModelFixtureWriter.Write(new FixtureSpec("info-test", FixturePresets.Get("tiny-qwen3"), GgmlType.Q4_K) { ChatTemplate = "{{ messages }}" }, path);
            var output = new StringWriter();
            Assert.Equal(0, InfoCommand.Run(path, listTensors: true, asJson: true, output));
            using var json = JsonDocument.Parse(output.ToString());
            var root = json.RootElement;
            Assert.Equal("qwen3", root.GetProperty("architecture").GetString());
            Assert.Equal("info-test", root.GetProperty("name").GetString());
            Assert.True(root.GetProperty("chat_template").GetBoolean());
            Assert.Equal(2 * 2 * 2 * 64 * 2, root.GetProperty("kv_bytes_per_token").GetInt64());
            Assert.Equal(2, root.GetProperty("hyperparameters").GetProperty("layers").GetInt32());
            Assert.Contains(root.GetProperty("tensor_types").EnumerateArray(), t => t.GetProperty("type").GetString() == "Q4_K");
            var tensors = root.GetProperty("tensors").EnumerateArray().ToList();
            Assert.Contains(tensors, t => t.GetProperty("name").GetString() == "blk.1.attn_k_norm.weight");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void DeepSeek2ReportsExpertsActiveWeightsAndTheLatentCache()
    {
        string path = Path.Combine(Path.GetTempPath(), $"deepsharp-info-{Guid.NewGuid():N}.gguf");
        try
        {
            var spec = Models.TinyDeepSeek.Spec(v3: true);
            ModelFixtureWriter.Write(spec with { Config = spec.Config with { NextNLayerCount = 1 } }, path);
            var output = new StringWriter();
            Assert.Equal(0, InfoCommand.Run(path, listTensors: false, asJson: true, output));
            using var json = JsonDocument.Parse(output.ToString());
            var root = json.RootElement;
            var hp = root.GetProperty("hyperparameters");
            Assert.Equal(8, hp.GetProperty("expert_count").GetInt32());
            Assert.Equal(1, hp.GetProperty("nextn_predict_layers").GetInt32());
            // (kv_lora_rank + rope) × layers × 2 bytes: the MTP block keeps no cache in plain decoding.
            Assert.Equal((32 + 16) * 3 * 2, root.GetProperty("kv_bytes_per_token").GetInt64());
            Assert.True(root.GetProperty("active_parameters").GetInt64() < root.GetProperty("total_parameters").GetInt64());

            // The bytes info predicts one token reads are what a metered decode of that token does read.
            using var model = DeepSharp.Models.TransformerModel.Load(path);
            var meter = new DeepSharp.Models.ForwardMeter();
            var session = new DeepSharp.Inference.InferenceSession(model, new DeepSharp.Inference.SessionOptions { Meter = meter });
            session.Evaluate([5, 6, 7]);
            meter.Reset();
            session.Evaluate([8]);
            Assert.Equal(meter.WeightBytes, root.GetProperty("active_weight_bytes").GetInt64());

            output = new StringWriter();
            InfoCommand.Run(path, listTensors: false, asJson: false, output);
            Assert.Contains("(+1 multi-token prediction)", output.ToString(), StringComparison.Ordinal);
            Assert.Contains("MLA latent: (32 + 16) × 3 layers × 2 B", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void TextReportsAVocabularyFile()
    {
        var output = new StringWriter();
        Assert.Equal(0, InfoCommand.Run(TestPaths.Shared("llamacpp-vocab", "ggml-vocab-deepseek-llm.gguf"), false, false, output));
        string text = output.ToString();
        Assert.Contains("pre deepseek-llm", text, StringComparison.Ordinal);
        Assert.Contains("tokenizer:         gpt2", text, StringComparison.Ordinal);
    }
}
