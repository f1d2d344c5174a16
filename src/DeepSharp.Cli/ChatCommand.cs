using System.CommandLine;
using System.Diagnostics;
using DeepSharp.Engine;
using DeepSharp.Inference;

namespace DeepSharp.Cli;

/// <summary>
/// <c>deepsharp chat [MODEL] [--temp T] [--seed S] [--reasoning-budget N] [--max-tokens N]</c>: an interactive chat
/// with the model's chat template. Ctrl+C stops a reply; Ctrl+C or Ctrl+D at the prompt quits.
/// </summary>
internal static class ChatCommand
{
    public static Command Create()
    {
        var model = ModelPathArgument.Create();
        var budget = new Option<int?>("--reasoning-budget") { Description = "Reasoning tokens at most per reply; then the model is made to answer" };
        var maxTokens = new Option<int>("--max-tokens") { Description = "New tokens at most per reply", DefaultValueFactory = _ => 1024 };
        var context = new Option<int>("--ctx") { Description = "Context length; 0 for the model's (capped at 4096)" };
        var noThink = new Option<bool>("--no-think") { Description = "Start with reasoning switched off (/think on turns it back on)" };
        var sampling = new SamplingArguments();
        var command = new Command("chat", "Chat with a model in the terminal") { model, budget, maxTokens, context, noThink };
        sampling.AddTo(command);
        command.SetAction(async (r, _) => await CliErrors.GuardAsync(() =>
        {
            var options = new ChatRequestOptions
            {
                Sampling = sampling.Read(r),
                MaxTokens = r.GetValue(maxTokens),
                ReasoningBudget = r.GetValue(budget),
                Thinking = !r.GetValue(noThink),
            };
            return RunInteractiveAsync(ModelPathArgument.Resolve(r.GetValue(model)), r.GetValue(context), options);
        }));
        return command;
    }

    private static async Task<int> RunInteractiveAsync(string path, int contextLength, ChatRequestOptions options)
    {
        bool ansi = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") is null;
        using var engine = await LoadWithProgressAsync(path, contextLength, ansi);
        var repl = new ChatRepl(engine, options, Console.In, Console.Out, ansi, echoInput: Console.IsInputRedirected);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // Ctrl+C while generating stops the reply and keeps the session; at the prompt it quits as usual.
            e.Cancel = repl.CancelGeneration();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await repl.RunAsync();
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>Loads the model on the thread pool while a spinner with the elapsed time runs on standard error (terminals only).</summary>
    private static async Task<ChatEngine> LoadWithProgressAsync(string path, int contextLength, bool ansi)
    {
        var load = Task.Run(() => ChatEngine.Load(path, new SessionOptions { ContextLength = contextLength }));
        if (!ansi || Console.IsErrorRedirected)
        {
            return await load;
        }
        var clock = Stopwatch.StartNew();
        const string frames = "⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏";
        string name = Path.GetFileName(path);
        for (int frame = 0; !load.IsCompleted; frame++)
        {
            Console.Error.Write($"\r\e[2K{frames[frame % frames.Length]} loading {name} … {clock.Elapsed.TotalSeconds:0.0} s");
            await Task.WhenAny(load, Task.Delay(100));
        }
        Console.Error.Write("\r\e[2K");
        var engine = await load;
        Console.Error.WriteLine($"\e[2mloaded {name} in {clock.Elapsed.TotalSeconds:0.0} s\e[0m");
        return engine;
    }
}
