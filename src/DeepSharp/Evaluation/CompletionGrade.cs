namespace DeepSharp.Evaluation;

/// <summary>How a completion fared against the expected answer.</summary>
/// <param name="WellFormed">Reasoning closed by exactly one <c>&lt;/think&gt;</c>, followed by a bare integer answer.</param>
/// <param name="Correct">Well formed and the answer equals the expected one.</param>
/// <param name="Reasoning">The text before <c>&lt;/think&gt;</c> (all of it when the tag is missing).</param>
/// <param name="Answer">The text after <c>&lt;/think&gt;</c>, trimmed, or null when the tag is missing.</param>
public sealed record CompletionGrade(bool WellFormed, bool Correct, string Reasoning, string? Answer)
{
    /// <summary>The rule-based reward: 1 for a correct answer plus <paramref name="formatWeight"/> for a well-formed one.</summary>
    public double Reward(double formatWeight = 0.1) => (Correct ? 1.0 : 0.0) + (WellFormed ? formatWeight : 0.0);
}
