using System.CommandLine;

namespace DeepSharp.Cli;

/// <summary>The root of the <c>deepsharp</c> command line.</summary>
internal static class DeepSharpCommand
{
    public static int Run(string[] args)
    {
        var root = new RootCommand("DeepSharp: run, serve and train DeepSeek-family models in .NET")
        {
            InfoCommand.Create(),
            FixtureCommand.Create(),
            LogitsCommand.Create(),
            TokenizeCommand.Create(),
            RunCommand.Create(),
            ChatCommand.Create(),
            ServeCommand.Create(),
            PerplexityCommand.Create(),
            BenchCommand.Create(),
            EvalCommand.Create(),
        };
        // Ctrl+C is each command's business (chat stops a reply with it), so System.CommandLine's own handler is off.
        return root.Parse(args).Invoke(new InvocationConfiguration { ProcessTerminationTimeout = null });
    }
}
