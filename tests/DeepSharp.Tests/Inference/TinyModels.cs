using DeepSharp.Fixtures;
using DeepSharp.Formats.Gguf;
using DeepSharp.Models;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Inference;

/// <summary>Small random-weight models held in memory for fast session and generation tests.</summary>
internal static class TinyModels
{
    public static ModelConfig Config(string preset = "tiny-qwen2") => FixturePresets.Get(preset) with
    {
        VocabSize = 300, EmbeddingLength = 64, FeedForwardLength = 128, LayerCount = 2, HeadCount = 4,
        KeyValueHeadCount = 2, KeyLength = 16, ValueLength = 16, RopeDimensionCount = 16, ContextLength = 96,
    };

    public static GgufFile File(ModelConfig config, GgmlType type = GgmlType.F32, float sigma = 0.2f)
    {
        var stream = new MemoryStream();
        ModelFixtureWriter.CreateWriter(new FixtureSpec("tiny", config, type, Seed: 9) { WeightSigma = sigma }).WriteTo(stream);
        return GgufFile.FromBytes(stream.ToArray());
    }

    public static TransformerModel Model(string preset = "tiny-qwen2", GgmlType type = GgmlType.F32) =>
        TransformerModel.Load(File(Config(preset), type), ownsFile: true);
}
