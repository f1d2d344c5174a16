using DeepSharp.Fixtures;
using DeepSharp.Formats.Gguf;
using DeepSharp.Models;
using DeepSharp.Models.Blocks;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Models;

/// <summary>Small deepseek2 models held in memory: V2-Lite-like (plain queries, softmax) and V3-like (q-LoRA, sigmoid, groups).</summary>
internal static class TinyDeepSeek
{
    public static ModelConfig Config(bool v3) => FixturePresets.Get(v3 ? "tiny-deepseek2-v3" : "tiny-deepseek2-lite") with
    {
        VocabSize = 300, EmbeddingLength = 64, FeedForwardLength = 128, LayerCount = 3, HeadCount = 4, ContextLength = 96,
        KeyLength = 32 + 16, ValueLength = 32, RopeDimensionCount = 16,
        Mla = new MlaConfig(v3 ? 32 : 0, 32, 16, 16, 16),
        Moe = v3
            ? new MoeConfig(8, 2, 1, 32, 1, ExpertGating.Sigmoid, true, 2.5f, 4, 2)
            : new MoeConfig(8, 2, 2, 32, 1, ExpertGating.Softmax, false, 1f, 1, 1),
    };

    public static FixtureSpec Spec(bool v3, MlaKvLayout layout = MlaKvLayout.Split, ModelConfig? config = null) =>
        new("tiny-ds2", config ?? Config(v3), GgmlType.F32, Seed: 3) { WeightSigma = 0.2f, KvLayout = layout, RouterBias = v3 };

    public static GgufFile File(FixtureSpec spec)
    {
        var stream = new MemoryStream();
        ModelFixtureWriter.CreateWriter(spec).WriteTo(stream);
        return GgufFile.FromBytes(stream.ToArray());
    }

    public static TransformerModel Model(bool v3, MlaKvLayout layout = MlaKvLayout.Split, MlaForm form = MlaForm.Auto) =>
        TransformerModel.Load(File(Spec(v3, layout)), ownsFile: true, new DeepSeek2Recipe(form));
}
