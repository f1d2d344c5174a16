using System.CommandLine;
using DeepSharp.Inference.Sampling;

namespace DeepSharp.Cli;

/// <summary>The sampling options shared by <c>run</c> and <c>chat</c>: --temp, --seed, --top-k, --top-p, --min-p.</summary>
internal sealed class SamplingArguments
{
    private static readonly SamplingOptions s_defaults = new();

    public Option<float> Temperature { get; } = new("--temp") { Description = "Sampling temperature; 0 picks greedily", DefaultValueFactory = _ => s_defaults.Temperature };
    public Option<ulong> Seed { get; } = new("--seed") { Description = "Random seed: the same seed and prompt give the same text", DefaultValueFactory = _ => s_defaults.Seed };
    public Option<int> TopK { get; } = new("--top-k") { Description = "Keep the k most likely tokens; 0 keeps all", DefaultValueFactory = _ => s_defaults.TopK };
    public Option<float> TopP { get; } = new("--top-p") { Description = "Nucleus probability mass; 1 keeps all", DefaultValueFactory = _ => s_defaults.TopP };
    public Option<float> MinP { get; } = new("--min-p") { Description = "Minimum probability relative to the top token; 0 keeps all", DefaultValueFactory = _ => s_defaults.MinP };

    public void AddTo(Command command)
    {
        command.Options.Add(Temperature);
        command.Options.Add(Seed);
        command.Options.Add(TopK);
        command.Options.Add(TopP);
        command.Options.Add(MinP);
    }

    public SamplingOptions Read(ParseResult result) => new()
    {
        Temperature = result.GetValue(Temperature),
        Seed = result.GetValue(Seed),
        TopK = result.GetValue(TopK),
        TopP = result.GetValue(TopP),
        MinP = result.GetValue(MinP),
    };
}
