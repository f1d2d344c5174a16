using DeepSharp.Models;

namespace DeepSharp.Training.Stages;

/// <summary>
/// The bundled model's shape: a deepseek2 model at tiny scale (MLA with a compressed query and a 64-wide latent,
/// one dense block then DeepSeekMoE blocks with 8 routed experts, 2 per token, one shared expert and sigmoid
/// scores with a selection bias), about 2M parameters of which about a third are active per token.
/// </summary>
public static class TinyR1Config
{
    /// <summary>The configuration for a vocabulary of <paramref name="vocabSize"/> tokens.</summary>
    public static ModelConfig Create(int vocabSize, int embedding = 128, int layers = 4, int context = 512) => new()
    {
        Architecture = ModelArchitecture.DeepSeek2,
        VocabSize = vocabSize,
        EmbeddingLength = embedding,
        LayerCount = layers,
        FeedForwardLength = 3 * embedding,
        HeadCount = 4,
        KeyValueHeadCount = 1,
        KeyLength = (embedding / 2) + 16,
        ValueLength = embedding / 2,
        ContextLength = context,
        RmsNormEpsilon = 1e-6f,
        RopeFreqBase = 10000,
        RopeDimensionCount = 16,
        RopeNeox = false,
        Mla = new MlaConfig(QLoraRank: embedding / 2, KvLoraRank: embedding / 2, RopeHeadDim: 16, NopeHeadDim: 32, ValueHeadDim: 32),
        Moe = new MoeConfig(
            ExpertCount: 8,
            ExpertsPerToken: 2,
            SharedExpertCount: 1,
            ExpertFeedForwardLength: embedding,
            LeadingDenseLayers: 1,
            Gating: ExpertGating.Sigmoid,
            NormalizeTopK: true,
            WeightsScale: 1f,
            GroupCount: 1,
            GroupsUsed: 1),
    };
}
