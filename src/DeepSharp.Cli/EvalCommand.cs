using System.CommandLine;
using System.Text;
using DeepSharp.Chat;
using DeepSharp.Engine;
using DeepSharp.Evaluation;
using DeepSharp.Inference;
using DeepSharp.Inference.Sampling;

namespace DeepSharp.Cli;

/// <summary>
/// <c>deepsharp eval [MODEL] --task NAME [--count N]</c>: greedy accuracy on held-out problems of a rule-checked
/// reasoning task, asked through the model's chat template with reasoning on. The problems are the ones the
/// trainer's <c>deepsharp-train eval</c> asks (same task, evaluation seed 7), so the two scores can be compared.
/// </summary>
internal static class EvalCommand
{
    /// <summary>Evaluation seed shared with the trainer's evaluation.</summary>
    public const int Seed = 7;

    public static Command Create()
    {
        var model = ModelPathArgument.Create();
        var task = new Option<string>("--task") { Description = $"Task ({string.Join(", ", ReasoningTasks.Names)})", DefaultValueFactory = _ => "arith-hard" };
        var count = new Option<int>("--count") { Description = "Held-out problems to ask", DefaultValueFactory = _ => 500 };
        var maxTokens = new Option<int>("--max-tokens") { Description = "New tokens at most per answer", DefaultValueFactory = _ => 128 };
        var command = new Command("eval", "Greedy accuracy on held-out problems of a reasoning task (answer after </think>, checked by rule)")
        {
            model, task, count, maxTokens,
        };
        command.SetAction(async (r, cancel) => await CliErrors.GuardAsync(() => RunAsync(
            ModelPathArgument.Resolve(r.GetValue(model)), ReasoningTasks.Get(r.GetValue(task)!), r.GetValue(count), r.GetValue(maxTokens), Console.Out, cancel)));
        return command;
    }

    public static async Task<int> RunAsync(string path, IReasoningTask task, int count, int maxTokens, TextWriter output, CancellationToken cancellationToken)
    {
        using var engine = ChatEngine.Load(path, new SessionOptions());
        var options = new ChatRequestOptions { Sampling = SamplingOptions.Greedy, MaxTokens = maxTokens };
        var completions = new List<string>();
        foreach (var problem in TaskEvaluator.Problems(task, count, Seed))
        {
            completions.Add(await CompleteAsync(engine, problem.Question, options, cancellationToken));
        }
        var result = TaskEvaluator.Evaluate(task, count, Seed, _ => completions);
        output.WriteLine(result);
        return 0;
    }

    /// <summary>The reply as the grader reads it: reasoning, <c>&lt;/think&gt;</c>, answer.</summary>
    private static async Task<string> CompleteAsync(ChatEngine engine, string question, ChatRequestOptions options, CancellationToken cancellationToken)
    {
        engine.Reset();
        var reasoning = new StringBuilder();
        var content = new StringBuilder();
        await foreach (var update in engine.ChatAsync([ChatMessage.User(question)], options, cancellationToken))
        {
            (update.Kind == ChatUpdateKind.Reasoning ? reasoning : content).Append(update.Text);
        }
        return reasoning + R1Prompt.ThinkClose + content;
    }
}
