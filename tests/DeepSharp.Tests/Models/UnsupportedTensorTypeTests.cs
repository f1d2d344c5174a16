using DeepSharp.Formats.Gguf;
using DeepSharp.Models;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Models;

/// <summary>A model holding a tensor type DeepSharp cannot compute with is refused at load, naming type and tensor.</summary>
public sealed class UnsupportedTensorTypeTests
{
    [Theory]
    [InlineData(GgmlType.IQ2_XXS)]
    [InlineData(GgmlType.TQ2_0)]
    [InlineData(GgmlType.MXFP4)]
    public void LoadNamesTheTypeAndTheTensor(GgmlType type)
    {
        var info = GgmlTypeInfo.Get(type);
        var w = new GgufWriter();
        w.Add("general.architecture", GgufValue.String("llama"));
        w.AddTensor("output_norm.weight", [256], GgmlType.F32, new byte[1024]);
        w.AddTensor("blk.0.ffn_down.weight", [256, 2], type, new byte[2 * info.RowBytes(256)]);
        var stream = new MemoryStream();
        w.WriteTo(stream);
        using var file = GgufFile.FromBytes(stream.ToArray());

        var e = Assert.Throws<UnsupportedTensorTypeException>(() => TransformerModel.Load(file, ownsFile: false));
        Assert.Equal($"unsupported tensor type {type} in tensor blk.0.ffn_down.weight", e.Message);
    }
}
