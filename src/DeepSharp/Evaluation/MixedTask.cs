namespace DeepSharp.Evaluation;

/// <summary>
/// A weighted mixture of tasks: each problem comes from one part, drawn in proportion to its weight. GRPO trains
/// on a mixture so that practising hard problems does not trade away the easier range the model already solved.
/// </summary>
public sealed class MixedTask : IReasoningTask
{
    private readonly (IReasoningTask Task, double Weight)[] _parts;
    private readonly double _totalWeight;

    /// <summary>Creates a mixture of <paramref name="parts"/> (each weight positive).</summary>
    public MixedTask(string name, IReadOnlyList<(IReasoningTask Task, double Weight)> parts)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (parts.Count == 0)
        {
            throw new ArgumentException("a mixed task needs at least one part", nameof(parts));
        }
        foreach (var (task, weight) in parts)
        {
            ArgumentNullException.ThrowIfNull(task);
            if (!(weight > 0) || double.IsInfinity(weight))
            {
                throw new ArgumentOutOfRangeException(nameof(parts), $"weight of '{task.Name}' must be positive and finite, got {weight}");
            }
        }
        Name = name;
        _parts = [.. parts];
        _totalWeight = _parts.Sum(p => p.Weight);
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <inheritdoc />
    public string Description =>
        string.Join(" + ", _parts.Select(p => $"{p.Weight / _totalWeight:P0} {p.Task.Name}"));

    /// <summary>The parts and their weights.</summary>
    public IReadOnlyList<(IReasoningTask Task, double Weight)> Parts => _parts;

    /// <inheritdoc />
    public ReasoningProblem Generate(Random random, ProblemSplit split)
    {
        double pick = random.NextDouble() * _totalWeight;
        foreach (var (task, weight) in _parts)
        {
            pick -= weight;
            if (pick < 0)
            {
                return task.Generate(random, split);
            }
        }
        return _parts[^1].Task.Generate(random, split);
    }
}
