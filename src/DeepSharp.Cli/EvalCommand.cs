using System.CommandLine;
using System.Text;
using DeepSharp.Chat;
using DeepSharp.Engine;
using DeepSharp.Evaluation;
using DeepSharp.Inference;
using DeepSharp.Inference.Sampling;

namespace DeepSharp.Cli;

/// <summary>
/// <c>deepsharp eval [MODEL] --task NAME [--count N] [--temp T --seed S]</c>: accuracy on held-out problems of a
/// rule-checked reasoning task, asked through the model's chat template with reasoning on. The problems are the ones
/// the trainer's <c>deepsharp-train eval</c> asks (same task, evaluation seed 7), so the greedy scores can be compared.
/// With <c>--temp</c> above 0 each problem is sampled as <c>deepsharp chat</c> samples (its top-k, top-p and min-p
/// defaults), problem i with seed S + i: the accuracy a chat user sees.
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
        var temperature = new Option<float>("--temp") { Description = "Sampling temperature; 0 (the default) picks greedily", DefaultValueFactory = _ => 0 };
        var seed = new Option<ulong>("--seed") { Description = "Sampling seed of the first problem (problem i uses seed + i)", DefaultValueFactory = _ => new SamplingOptions().Seed };
        var command = new Command("eval", "Accuracy on held-out problems of a reasoning task (answer after </think>, checked by rule); greedy unless --temp")
        {
            model, task, count, maxTokens, temperature, seed,
        };
        command.SetAction(async (r, cancel) => await CliErrors.GuardAsync(() =>
        {
            float t = r.GetValue(temperature);
            if (!(t >= 0) || float.IsInfinity(t))
            {
                throw new ArgumentOutOfRangeException(nameof(temperature), t, "--temp must be 0 or more");
            }
            var sampling = t == 0 ? SamplingOptions.Greedy : new SamplingOptions { Temperature = t, Seed = r.GetValue(seed) };
            return RunAsync(ModelPathArgument.Resolve(r.GetValue(model)), ReasoningTasks.Get(r.GetValue(task)!), r.GetValue(count), r.GetValue(maxTokens),
                Console.Out, cancel, sampling);
        }));
        return command;
    }

    public static async Task<int> RunAsync(
        string path, IReasoningTask task, int count, int maxTokens, TextWriter output, CancellationToken cancellationToken, SamplingOptions? sampling = null)
    {
        using var engine = ChatEngine.Load(path, new SessionOptions());
        sampling ??= SamplingOptions.Greedy;
        var completions = new List<string>();
        ulong index = 0;
        foreach (var problem in TaskEvaluator.Problems(task, count, Seed))
        {
            var options = new ChatRequestOptions { Sampling = sampling with { Seed = sampling.Seed + index++ }, MaxTokens = maxTokens };
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
