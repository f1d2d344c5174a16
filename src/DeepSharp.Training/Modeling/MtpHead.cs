using DeepSharp.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DeepSharp.Training.Modeling;

/// <summary>
/// One DeepSeek-V3 multi-token-prediction module (FACTS.md §3.11): from the main model's final hidden state
/// at t and the embedding of token t+1 it predicts token t+2 through its own block, sharing the embedding and
/// output head. It only adds a training signal; llama.cpp's deepseek2 files carry no MTP, so it is not exported.
/// </summary>
public sealed class MtpHead : nn.Module
{
    /// <summary>Creates the module; its block has a dense FFN.</summary>
    public MtpHead(ModelConfig config, Rope rope) : base(nameof(MtpHead))
    {
        EmbeddingNorm = new RmsNorm(config.EmbeddingLength, config.RmsNormEpsilon);
        HiddenNorm = new RmsNorm(config.EmbeddingLength, config.RmsNormEpsilon);
        Projection = nn.Linear(2L * config.EmbeddingLength, config.EmbeddingLength, hasBias: false);
        Block = new DecoderLayer(config, rope, config.LayerCount, moe: false);
        Norm = new RmsNorm(config.EmbeddingLength, config.RmsNormEpsilon);
        register_module("enorm", EmbeddingNorm);
        register_module("hnorm", HiddenNorm);
        register_module("eh_proj", Projection);
        register_module("block", Block);
        register_module("norm", Norm);
    }

    /// <summary>Norm of the next token's embedding.</summary>
    public RmsNorm EmbeddingNorm { get; }

    /// <summary>Norm of the main model's hidden state.</summary>
    public RmsNorm HiddenNorm { get; }

    /// <summary>Projection of the concatenation back to the model width.</summary>
    public Linear Projection { get; }

    /// <summary>The module's transformer block.</summary>
    public DecoderLayer Block { get; }

    /// <summary>Final norm before the shared output head.</summary>
    public RmsNorm Norm { get; }

    /// <summary>Hidden states predicting t+2 from <paramref name="hidden"/>[t] and <paramref name="nextEmbedding"/>[t] (the embedding of t+1).</summary>
    public Tensor Forward(Tensor hidden, Tensor nextEmbedding)
    {
        var z = Projection.forward(cat([EmbeddingNorm.forward(nextEmbedding), HiddenNorm.forward(hidden)], -1));
        return Norm.forward(Block.Forward(z, 0, null, 0));
    }
}
