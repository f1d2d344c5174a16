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
    public void TextReportsAVocabularyFile()
    {
        var output = new StringWriter();
        Assert.Equal(0, InfoCommand.Run(TestPaths.Shared("llamacpp-vocab", "ggml-vocab-deepseek-llm.gguf"), false, false, output));
        string text = output.ToString();
        Assert.Contains("pre deepseek-llm", text, StringComparison.Ordinal);
        Assert.Contains("tokenizer:         gpt2", text, StringComparison.Ordinal);
    }
}
