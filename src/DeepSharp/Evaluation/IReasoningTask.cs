namespace DeepSharp.Evaluation;

/// <summary>A generator of problems whose answers a rule can check.</summary>
public interface IReasoningTask
{
    /// <summary>Name used on the command line (<c>--task NAME</c>).</summary>
    string Name { get; }

    /// <summary>One-line description.</summary>
    string Description { get; }

    /// <summary>Draws one problem from <paramref name="split"/>.</summary>
    ReasoningProblem Generate(Random random, ProblemSplit split);
}
