namespace DeepSharp.Evaluation;

/// <summary>
/// Measures accuracy on held-out problems with any generator: the trainer passes its TorchSharp model, the
/// engine its own decoder. The generator receives user questions and returns the completions written after
/// the R1 prompt (<see cref="R1Prompt.Render(string)"/>), greedy for a reproducible score.
/// </summary>
public static class TaskEvaluator
{
    /// <summary>The held-out problems an evaluation with this seed asks, in order.</summary>
    public static IReadOnlyList<ReasoningProblem> Problems(IReasoningTask task, int count, int seed)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var random = new Random(seed);
        return [.. Enumerable.Range(0, count).Select(_ => task.Generate(random, ProblemSplit.HeldOut))];
    }

    /// <summary>Asks <paramref name="count"/> held-out problems and grades the completions.</summary>
    public static EvaluationResult Evaluate(IReasoningTask task, int count, int seed, Func<IReadOnlyList<string>, IReadOnlyList<string>> complete)
    {
        ArgumentNullException.ThrowIfNull(complete);
        var problems = Problems(task, count, seed);
        var completions = complete([.. problems.Select(p => p.Question)]);
        if (completions.Count != problems.Count)
        {
            throw new InvalidOperationException($"the generator returned {completions.Count} completions for {problems.Count} questions");
        }
        int correct = 0, wellFormed = 0;
        for (int i = 0; i < problems.Count; i++)
        {
            var grade = CompletionGrader.Grade(completions[i], problems[i].Answer);
            correct += grade.Correct ? 1 : 0;
            wellFormed += grade.WellFormed ? 1 : 0;
        }
        return new EvaluationResult(task.Name, problems.Count, correct, wellFormed);
    }
}
