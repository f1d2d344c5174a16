namespace DeepSharp.Training.Stages;

/// <summary>Everything the full recipe (tokenizer → pretrain → SFT → GRPO → export) depends on.</summary>
public sealed record RecipeOptions
{
    /// <summary>Run folder.</summary>
    public required string Run { get; init; }

    /// <summary>Prose corpus (plain text, blank-line separated paragraphs).</summary>
    public required string Corpus { get; init; }

    /// <summary>Seed of every stage.</summary>
    public int Seed { get; init; } = 1;

    /// <summary>Vocabulary size of the trained tokenizer.</summary>
    public int VocabSize { get; init; } = 1024;

    /// <summary>Residual width.</summary>
    public int Embedding { get; init; } = 128;

    /// <summary>Blocks.</summary>
    public int Layers { get; init; } = 4;

    /// <summary>Share of arithmetic tokens in the pretraining stream.</summary>
    public double ArithmeticShare { get; init; } = 0.3;

    /// <summary>Pretraining sequence length.</summary>
    public int SequenceLength { get; init; } = 256;

    /// <summary>Weight of the MTP loss in pretraining (0 disables the MTP module).</summary>
    public float MtpWeight { get; init; } = 0.3f;

    /// <summary>Pretraining optimisation.</summary>
    public StageOptions Pretrain { get; init; } = new() { Steps = 3000, BatchSize = 16, LearningRate = 2e-3, WarmupSteps = 50 };

    /// <summary>SFT optimisation.</summary>
    public StageOptions Sft { get; init; } = new() { Steps = 200, BatchSize = 32, LearningRate = 1e-3, WarmupSteps = 20 };

    /// <summary>GRPO optimisation (batch = prompts per step).</summary>
    public StageOptions Grpo { get; init; } = new() { Steps = 1200, BatchSize = 16, LearningRate = 1e-4, WarmupSteps = 10, WeightDecay = 0, MinLearningRateRatio = 1, CheckpointEvery = 25 };

    /// <summary>GRPO sampling and reward settings: the step credit at half weight (see the model card).</summary>
    public GrpoOptions GrpoSampling { get; init; } = new() { StepReward = 0.5 };

    /// <summary>Task of the pretraining arithmetic text.</summary>
    public string PretrainTask { get; init; } = "arith-easy";

    /// <summary>Task of the SFT worked examples.</summary>
    public string SftTask { get; init; } = "arith-sft";

    /// <summary>
    /// SFT examples are asked after 0 to this many earlier question–answer turns of the same conversation (drawn
    /// uniformly), so that the model answers later questions of a chat too; 0 asks every question alone (the
    /// models shipped before the fourth session).
    /// </summary>
    public int SftEarlierTurns { get; init; } = 3;

    /// <summary>
    /// Task GRPO trains on: three parts 3–4-digit problems to one part 1–3-digit ones, since GRPO on the hard range
    /// alone forgot the easy one.
    /// </summary>
    public string GrpoTask { get; init; } = "arith-mix";

    /// <summary>The held-out task the recipe reports first (the easier and the SFT range follow).</summary>
    public string HeadlineTask { get; init; } = "arith-hard";

    /// <summary>Held-out problems per final evaluation.</summary>
    public int EvalCount { get; init; } = 500;
}
