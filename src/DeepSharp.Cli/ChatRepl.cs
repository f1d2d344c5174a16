using DeepSharp.Chat;
using DeepSharp.Engine;

namespace DeepSharp.Cli;

/// <summary>
/// The interactive loop of <c>deepsharp chat</c>: reads a line, streams the reply (reasoning dimmed under a
/// "thinking" header, then a separator and the answer), keeps the conversation, and understands
/// <c>/reset</c>, <c>/think on|off</c>, <c>/exit</c> and <c>/help</c>. Works on redirected streams too (no ANSI there).
/// </summary>
/// <param name="echoInput">Writes each line read after the prompt, so that a transcript of piped input reads like a terminal session.</param>
internal sealed class ChatRepl(ChatEngine engine, ChatRequestOptions options, TextReader input, TextWriter output, bool ansi, bool echoInput = false)
{
    private const string Dim = "\e[2m";
    private const string Bold = "\e[1m";
    private const string Reset = "\e[0m";
    private const string Help = "commands: /reset (new conversation), /think on|off (reasoning), /exit (quit); Ctrl+C stops a reply";

    private readonly List<ChatMessage> _history = [];
    private ChatRequestOptions _options = options;
    private CancellationTokenSource? _generation;

    /// <summary>Whether a reply is being generated (Ctrl+C then stops it instead of quitting).</summary>
    public bool Generating => Volatile.Read(ref _generation) is not null;

    /// <summary>Stops the reply being generated, if any; returns whether there was one.</summary>
    public bool CancelGeneration()
    {
        var generation = Volatile.Read(ref _generation);
        if (generation is null)
        {
            return false;
        }
        generation.Cancel();
        return true;
    }

    public async Task<int> RunAsync(CancellationToken cancellationToken = default)
    {
        output.WriteLine(Style(Dim, $"{engine.ModelId} · context {engine.ContextLength} · {Help}"));
        while (!cancellationToken.IsCancellationRequested)
        {
            output.Write(Style(Bold, "> "));
            await output.FlushAsync(cancellationToken);
            string? line = await input.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                output.WriteLine();
                return 0; // Ctrl+D or the end of redirected input
            }
            if (echoInput)
            {
                output.WriteLine(line);
            }
            line = line.Trim();
            if (line.Length == 0)
            {
                continue;
            }
            if (line.StartsWith('/'))
            {
                if (!Command(line))
                {
                    return 0;
                }
                continue;
            }
            _history.Add(ChatMessage.User(line));
            await ReplyAsync(cancellationToken);
        }
        return 0;
    }

    /// <summary>Runs a slash command; false means quit.</summary>
    private bool Command(string line)
    {
        switch (line.ToLowerInvariant())
        {
            case "/exit" or "/quit" or "/bye":
                return false;
            case "/reset" or "/clear":
                _history.Clear();
                engine.Reset();
                output.WriteLine(Style(Dim, "(conversation cleared)"));
                return true;
            case "/think off":
                _options = _options with { Thinking = false };
                output.WriteLine(Style(Dim, "(reasoning off)"));
                return true;
            case "/think on":
                _options = _options with { Thinking = true };
                output.WriteLine(Style(Dim, "(reasoning on)"));
                return true;
            default:
                output.WriteLine(Style(Dim, $"unknown command '{line}'; {Help}"));
                return true;
        }
    }

    private async Task ReplyAsync(CancellationToken cancellationToken)
    {
        using var generation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Volatile.Write(ref _generation, generation);
        var answer = new System.Text.StringBuilder();
        var state = Section.None;
        try
        {
            await foreach (var update in engine.ChatAsync(_history, _options, generation.Token))
            {
                switch (update.Kind)
                {
                    case ChatUpdateKind.Reasoning:
                        if (state == Section.None)
                        {
                            output.WriteLine(Style(Dim, "Thinking…"));
                            state = Section.Reasoning;
                        }
                        output.Write(Style(Dim, update.Text));
                        break;
                    case ChatUpdateKind.Content:
                        if (state == Section.Reasoning)
                        {
                            output.WriteLine();
                            output.WriteLine(Style(Dim, "──────── answer ────────"));
                        }
                        state = Section.Content;
                        answer.Append(update.Text);
                        output.Write(update.Text);
                        break;
                    case ChatUpdateKind.Finished when update.Usage is { } usage:
                        output.WriteLine();
                        output.WriteLine(Style(Dim, $"[{usage.CompletionTokens} tokens ({usage.ReasoningTokens} reasoning), {usage.PromptTokens} prompt ({usage.CachedPromptTokens} cached), stop: {update.FinishReason}]"));
                        break;
                }
                await output.FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (generation.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            output.WriteLine();
            output.WriteLine(Style(Dim, "[stopped]"));
        }
        finally
        {
            Volatile.Write(ref _generation, null);
        }
        // The reply (its answer part; templates drop earlier reasoning) joins the conversation, even when stopped.
        _history.Add(ChatMessage.Assistant(answer.ToString()));
    }

    private string Style(string code, string text) => ansi && text.Length > 0 ? code + text + Reset : text;

    private enum Section
    {
        None,
        Reasoning,
        Content,
    }
}
