namespace DeepSharp.Training.Stages;

/// <summary>Where a training run keeps its files.</summary>
public sealed record RunLayout(string Root)
{
    /// <summary>The tokenizer's merges, one per line.</summary>
    public string Tokenizer => Path.Combine(Root, "tokenizer.txt");

    /// <summary>Pretraining checkpoint folder.</summary>
    public string Pretrain => Path.Combine(Root, "pretrain");

    /// <summary>SFT checkpoint folder.</summary>
    public string Sft => Path.Combine(Root, "sft");

    /// <summary>GRPO checkpoint folder.</summary>
    public string Grpo => Path.Combine(Root, "grpo");

    /// <summary>The folder of a stage by name.</summary>
    public string Stage(string name) => name switch
    {
        "pretrain" => Pretrain,
        "sft" => Sft,
        "grpo" => Grpo,
        _ => throw new ArgumentException($"unknown stage '{name}' (pretrain, sft, grpo)", nameof(name)),
    };
}
