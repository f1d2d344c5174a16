namespace DeepSharp.Models;

/// <summary>
/// How one family binds its tensors to transformer blocks (STYLE §10.4): the loop itself is written once in
/// <see cref="TransformerModel"/>; a recipe only says which attention and feed-forward block each layer gets.
/// </summary>
public interface IArchitectureRecipe
{
    /// <summary>Builds layer <paramref name="layer"/> of a model of <paramref name="config"/>.</summary>
    TransformerLayer BuildLayer(ModelConfig config, ModelWeights weights, int layer);
}
