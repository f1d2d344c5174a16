namespace DeepSharp.Evaluation;

/// <summary>
/// The named tasks of the tiny reasoning model's recipe: "arith-easy" for pretraining text, "arith-sft" for the
/// worked chat examples, "arith-hard" for the longer problems that GRPO trains on and evaluation reports.
/// </summary>
public static class ReasoningTasks
{
    private static readonly ArithmeticOperation[] s_all = [ArithmeticOperation.Add, ArithmeticOperation.Subtract, ArithmeticOperation.Multiply];

    private static readonly Dictionary<string, IReasoningTask> s_tasks = new(StringComparer.OrdinalIgnoreCase)
    {
        ["arith-easy"] = new ArithmeticTask("arith-easy", s_all, 1, 3),
        ["arith-sft"] = new ArithmeticTask("arith-sft", s_all, 1, 4),
        ["arith-hard"] = new ArithmeticTask("arith-hard", s_all, 4, 5),
        ["add-hard"] = new ArithmeticTask("add-hard", [ArithmeticOperation.Add], 4, 5),
        ["sub-hard"] = new ArithmeticTask("sub-hard", [ArithmeticOperation.Subtract], 4, 5),
        ["mul-hard"] = new ArithmeticTask("mul-hard", [ArithmeticOperation.Multiply], 4, 5),
    };

    /// <summary>Every task name.</summary>
    public static IReadOnlyCollection<string> Names => s_tasks.Keys;

    /// <summary>The task called <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">No task has this name.</exception>
    public static IReasoningTask Get(string name) =>
        s_tasks.TryGetValue(name, out var task)
            ? task
            : throw new ArgumentException($"unknown task '{name}' (known: {string.Join(", ", s_tasks.Keys)})", nameof(name));
}
