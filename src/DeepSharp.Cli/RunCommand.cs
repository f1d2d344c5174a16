using System.CommandLine;
using DeepSharp.Engine;
using DeepSharp.Inference;

namespace DeepSharp.Cli;

/// <summary>
/// <c>deepsharp run [MODEL] -p PROMPT [-n N] [--temp T] [--seed S] [--top-k K] [--top-p P] [--min-p M]</c>: streams a raw
/// completion of the prompt (no chat template) to standard output.
/// </summary>
internal static class RunCommand
{
    public static Command Create()
    {
        var model = ModelPathArgument.Create();
        var prompt = new Option<string>("--prompt", "-p") { Description = "The text to continue", Required = true };
        var count = new Option<int>("--n-predict", "-n") { Description = "New tokens at most", DefaultValueFactory = _ => 128 };
        var context = new Option<int>("--ctx") { Description = "Context length; 0 for the model's (capped at 4096)" };
        var sampling = new SamplingArguments();
        var command = new Command("run", "Continue a prompt (raw completion, no chat template)") { model, prompt, count, context };
        sampling.AddTo(command);
        command.SetAction(async (r, cancel) => await CliErrors.GuardAsync(() => RunAsync(
            ModelPathArgument.Resolve(r.GetValue(model)), r.GetValue(prompt)!, r.GetValue(count), r.GetValue(context), sampling.Read(r), Console.Out, cancel)));
        return command;
    }

    public static async Task<int> RunAsync(string path, string prompt, int maxTokens, int contextLength, Inference.Sampling.SamplingOptions sampling, TextWriter output, CancellationToken cancellationToken)
    {
        using var engine = ChatEngine.Load(path, new SessionOptions { ContextLength = contextLength });
        output.Write(prompt);
        var options = new ChatRequestOptions { Sampling = sampling, MaxTokens = maxTokens };
        await foreach (var update in engine.CompleteAsync(prompt, options, cancellationToken))
        {
            output.Write(update.Text);
            await output.FlushAsync(cancellationToken);
        }
        output.WriteLine();
        return 0;
    }
}
