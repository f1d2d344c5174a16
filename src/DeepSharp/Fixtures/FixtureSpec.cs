using DeepSharp.Models;
using DeepSharp.Quantization;

namespace DeepSharp.Fixtures;

/// <summary>Everything that determines a random-weight fixture model.</summary>
/// <param name="Name">Value of <c>general.name</c>.</param>
/// <param name="Config">Hyperparameters of the model.</param>
/// <param name="WeightType">Type of the matrices (norms, biases and the router stay F32; rows that the type's block does not divide fall back as llama-quantize does).</param>
/// <param name="Seed">Seed of every random stream.</param>
public sealed record FixtureSpec(string Name, ModelConfig Config, GgmlType WeightType, ulong Seed = 1)
{
    /// <summary>Standard deviation of the random matrix weights.</summary>
    public float WeightSigma { get; init; } = 0.05f;

    /// <summary>
    /// llama only: write Llama-3.1's <c>rope_freqs.weight</c> (factor 8, low 1, high 4, original context 8192),
    /// which divides each RoPE pair's angle.
    /// </summary>
    public bool RopeFrequencyFactors { get; init; }

    /// <summary>deepseek2 only: how the KV up-projection is stored.</summary>
    public MlaKvLayout KvLayout { get; init; } = MlaKvLayout.Split;

    /// <summary>deepseek2 only: whether the router has a selection bias (<c>exp_probs_b</c>, V3/R1).</summary>
    public bool RouterBias { get; init; }

    /// <summary>A chat template to store as <c>tokenizer.chat_template</c>, or null.</summary>
    public string? ChatTemplate { get; init; }

    /// <summary>A GGUF file whose <c>tokenizer.*</c> metadata replaces the synthetic vocabulary, or null.</summary>
    public string? VocabularyFrom { get; init; }
}
