namespace DeepSharp.Training.Stages;

/// <summary>Settings of the GRPO stage beyond the optimiser's.</summary>
public sealed record GrpoOptions
{
    /// <summary>Completions sampled per prompt (the group).</summary>
    public int GroupSize { get; init; } = 8;

    /// <summary>Sampling temperature.</summary>
    public double Temperature { get; init; } = 1.0;

    /// <summary>Most tokens a completion may have.</summary>
    public int MaxNewTokens { get; init; } = 96;

    /// <summary>Weight of the KL penalty to the reference (SFT) model.</summary>
    public double KlWeight { get; init; } = 0.04;

    /// <summary>Reward for a well-formed completion, added to 1 for a correct answer.</summary>
    public double FormatReward { get; init; } = 0.1;

    /// <summary>Weight of the step credit (<see cref="DeepSharp.Evaluation.StepCredit"/>): the share of the reference's worked lines the completion writes correctly.</summary>
    public double StepReward { get; init; }

    /// <summary>Steps between greedy evaluations on held-out problems (0 = never).</summary>
    public int EvalEvery { get; init; } = 25;

    /// <summary>Held-out problems per periodic evaluation.</summary>
    public int EvalCount { get; init; } = 100;
}
