using DeepSharp.Compute;

namespace DeepSharp.Models;

/// <summary>
/// One multi-token-prediction ("next-n") block (FACTS.md §3.11): it drafts the token after next from the main
/// model's last hidden state and the next token's embedding, <c>z = eh_proj([enorm(embed(token)); hnorm(h)])</c>, then
/// an ordinary transformer block and an output head. Loaded with the model and kept for speculative decoding;
/// <c>TransformerModel.Forward</c> does not run it.
/// </summary>
/// <param name="Index">The block's index in the file (after the main layers).</param>
/// <param name="Block">Its attention and feed-forward.</param>
/// <param name="Projection">eh_proj: embedding and hidden state (2 × width) → width.</param>
/// <param name="EmbeddingNorm">enorm (width).</param>
/// <param name="HiddenNorm">hnorm (width).</param>
/// <param name="HeadNorm">shared_head_norm, or null to use the model's output norm.</param>
/// <param name="Head">shared_head_head, or null to use the model's output head.</param>
/// <param name="Embedding">embed_tokens, or null to use the model's token embedding.</param>
public sealed record MtpLayer(
    int Index,
    TransformerLayer Block,
    WeightMatrix Projection,
    float[] EmbeddingNorm,
    float[] HiddenNorm,
    float[]? HeadNorm,
    WeightMatrix? Head,
    WeightMatrix? Embedding)
{
    /// <summary>Binds block <paramref name="index"/> and its <c>nextn.*</c> tensors.</summary>
    /// <exception cref="InvalidDataException">A required tensor is missing or has the wrong shape.</exception>
    public static MtpLayer Bind(IArchitectureRecipe recipe, ModelConfig config, ModelWeights weights, int index)
    {
        string b = $"blk.{index}.nextn.";
        int width = config.EmbeddingLength;
        WeightMatrix? Optional(string name) => weights.Has(b + name) ? weights.Matrix(b + name, width, config.VocabSize) : null;
        return new MtpLayer(
            index,
            recipe.BuildLayer(config, weights, index),
            weights.Matrix(b + "eh_proj.weight", 2 * width, width),
            weights.Vector(b + "enorm.weight", width),
            weights.Vector(b + "hnorm.weight", width),
            weights.OptionalVector(b + "shared_head_norm.weight", width),
            Optional("shared_head_head.weight"),
            Optional("embed_tokens.weight"));
    }
}
