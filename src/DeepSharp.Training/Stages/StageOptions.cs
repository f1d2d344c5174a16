namespace DeepSharp.Training.Stages;

/// <summary>Optimisation settings shared by the pretraining, SFT and GRPO stages.</summary>
public sealed record StageOptions
{
    /// <summary>Optimizer steps.</summary>
    public required int Steps { get; init; }

    /// <summary>Sequences per step (GRPO: prompts per step).</summary>
    public required int BatchSize { get; init; }

    /// <summary>Peak learning rate of AdamW.</summary>
    public required double LearningRate { get; init; }

    /// <summary>The cosine schedule ends at this fraction of the peak.</summary>
    public double MinLearningRateRatio { get; init; } = 0.1;

    /// <summary>Linear warm-up steps.</summary>
    public int WarmupSteps { get; init; } = 20;

    /// <summary>AdamW decoupled weight decay.</summary>
    public double WeightDecay { get; init; } = 0.1;

    /// <summary>Gradient clipping: maximum global L2 norm.</summary>
    public double ClipNorm { get; init; } = 1.0;

    /// <summary>Step of the router selection bias per optimizer step (auxiliary-loss-free balancing).</summary>
    public float BiasUpdateRate { get; init; } = 1e-3f;

    /// <summary>Seed; each step's data and sampling are drawn from (seed, step), so a resumed run continues exactly.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Stop (with a checkpoint) after this many completed steps, leaving the rest for a resumed run; null runs to the end.</summary>
    public int? StopAfter { get; init; }

    /// <summary>Steps between checkpoints (the last step always saves one).</summary>
    public int CheckpointEvery { get; init; } = 100;
}
