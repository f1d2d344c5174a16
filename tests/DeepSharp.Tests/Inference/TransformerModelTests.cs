using DeepSharp.Fixtures;
using DeepSharp.Formats.Gguf;
using DeepSharp.Models;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Inference;

public sealed class TransformerModelTests
{
    [Fact]
    public void TheFamiliesBindTheirOptionalTensors()
    {
        using var qwen2 = TinyModels.Model("tiny-qwen2");
        using var qwen3 = TinyModels.Model("tiny-qwen3");
        Assert.True(qwen2.Config.QkvBias);
        Assert.True(qwen3.Config.QkNorm);
        Assert.Equal([[2 * 16, 2 * 16], [2 * 16, 2 * 16]], qwen3.CachePlaneWidths.Select(w => w.ToArray()).ToArray());
    }

    [Fact]
    public void AMissingTensorIsNamed()
    {
        var config = TinyModels.Config("tiny-llama");
        var stream = new MemoryStream();
        var writer = ModelFixtureWriter.CreateWriter(new FixtureSpec("t", config, GgmlType.F32));
        writer.WriteTo(stream);
        using var full = GgufFile.FromBytes(stream.ToArray());
        // Rewrite the file without one tensor.
        var w = new GgufWriter();
        foreach (var (key, value) in full.Metadata.Pairs)
        {
            w.Add(key, value);
        }
        foreach (var t in full.Tensors.Where(t => t.Name != "blk.1.ffn_up.weight"))
        {
            w.AddTensor(t.Name, t.Dimensions, t.Type, full.GetBytes(t).AsSpan().ToArray());
        }
        var partial = new MemoryStream();
        w.WriteTo(partial);
        using var file = GgufFile.FromBytes(partial.ToArray());
        var error = Assert.Throws<InvalidDataException>(() => TransformerModel.Load(file, ownsFile: false));
        Assert.Contains("blk.1.ffn_up.weight", error.Message);
    }
}
