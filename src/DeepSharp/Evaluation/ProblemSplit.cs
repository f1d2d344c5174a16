namespace DeepSharp.Evaluation;

/// <summary>Which side of the fixed train/held-out partition a problem must come from.</summary>
public enum ProblemSplit
{
    /// <summary>Problems used for training.</summary>
    Train,

    /// <summary>Problems reserved for evaluation; no training stage ever sees them.</summary>
    HeldOut,
}
