namespace DeepSharp.Models;

/// <summary>The recipe of each supported family.</summary>
public static class ArchitectureRecipes
{
    /// <summary>A fresh recipe for <paramref name="architecture"/>.</summary>
    /// <exception cref="NotSupportedException">The family has no recipe yet.</exception>
    public static IArchitectureRecipe For(ModelArchitecture architecture) => architecture switch
    {
        ModelArchitecture.Llama or ModelArchitecture.Qwen2 or ModelArchitecture.Qwen3 => new DenseTransformerRecipe(),
        ModelArchitecture.DeepSeek2 => new DeepSeek2Recipe(),
        _ => throw new NotSupportedException($"running {architecture.ToGgufName()} models is not implemented"),
    };
}
