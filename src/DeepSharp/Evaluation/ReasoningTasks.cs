namespace DeepSharp.Evaluation;

/// <summary>
/// The named tasks of the tiny reasoning model's recipe: "arith-easy" for pretraining text, "arith-sft" for the
/// worked chat examples (1–4 digits), "arith-hard" for the 3–4-digit problems at the top of that range, where the
/// SFT model is weakest, "arith-mix" (three parts arith-hard to one part arith-easy) for GRPO, so practice on the
/// hard range keeps the easy one, and "arith-long" (5 digits) beyond anything trained.
/// </summary>
public static class ReasoningTasks
{
    private static readonly ArithmeticOperation[] s_all = [ArithmeticOperation.Add, ArithmeticOperation.Subtract, ArithmeticOperation.Multiply];

    private static readonly ArithmeticTask s_easy = new("arith-easy", s_all, 1, 3);
    private static readonly ArithmeticTask s_hard = new("arith-hard", s_all, 3, 4);

    private static readonly Dictionary<string, IReasoningTask> s_tasks = new(StringComparer.OrdinalIgnoreCase)
    {
        ["arith-easy"] = s_easy,
        ["arith-sft"] = new ArithmeticTask("arith-sft", s_all, 1, 4),
        ["arith-hard"] = s_hard,
        ["arith-mix"] = new MixedTask("arith-mix", [(s_hard, 3), (s_easy, 1)]),
        ["add-hard"] = new ArithmeticTask("add-hard", [ArithmeticOperation.Add], 3, 4),
        ["sub-hard"] = new ArithmeticTask("sub-hard", [ArithmeticOperation.Subtract], 3, 4),
        ["mul-hard"] = new ArithmeticTask("mul-hard", [ArithmeticOperation.Multiply], 3, 4),
        ["arith-long"] = new ArithmeticTask("arith-long", s_all, 5, 5),
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
