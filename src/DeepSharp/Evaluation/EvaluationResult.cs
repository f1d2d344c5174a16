namespace DeepSharp.Evaluation;

/// <summary>Accuracy of a model on held-out problems of one task.</summary>
/// <param name="Task">Task name.</param>
/// <param name="Total">Problems asked.</param>
/// <param name="Correct">Correct answers.</param>
/// <param name="WellFormed">Completions with reasoning, one <c>&lt;/think&gt;</c> and an integer answer.</param>
public sealed record EvaluationResult(string Task, int Total, int Correct, int WellFormed)
{
    /// <summary>Correct / total, in percent.</summary>
    public double AccuracyPercent => Total == 0 ? 0 : 100.0 * Correct / Total;

    /// <summary>Well formed / total, in percent.</summary>
    public double FormatPercent => Total == 0 ? 0 : 100.0 * WellFormed / Total;

    /// <inheritdoc />
    public override string ToString() =>
        FormattableString.Invariant($"{Task}: {Correct}/{Total} correct ({AccuracyPercent:F1}%), {FormatPercent:F1}% well formed");
}
