using DeepSharp.Chat;
using DeepSharp.Cli;
using DeepSharp.Engine;
using DeepSharp.Tests.Engine;

namespace DeepSharp.Tests.Cli;

/// <summary>The chat REPL driven through redirected input and output, as when stdin is not a terminal.</summary>
public sealed class ChatReplTests
{
    [Fact]
    public async Task ARedirectedSessionStreamsRepliesAndUnderstandsCommands()
    {
        using var engine = EngineFixture.Load();
        var input = new StringReader("What is 2+3?\n/think off\nAnd 4+4?\n/reset\n/bogus\nHi\n/exit\nnever read\n");
        var output = new StringWriter();
        var options = EngineFixture.Greedy(12);
        int code = await new ChatRepl(engine, options, input, output, ansi: false).RunAsync();
        string text = output.ToString();

        Assert.Equal(0, code);
        Assert.DoesNotContain("\e[", text); // no ANSI on redirected output
        Assert.Contains("(reasoning off)", text);
        Assert.Contains("(conversation cleared)", text);
        Assert.Contains("unknown command '/bogus'", text);
        Assert.Equal(3, CountOf(text, "[12 tokens"));

        // The first reply is the engine's own greedy reply to the same question, reasoning under the "Thinking…" header.
        using var reference = EngineFixture.Load();
        var expected = await EngineFixture.CollectAsync(reference.ChatAsync([ChatMessage.User("What is 2+3?")], options));
        string reasoning = EngineFixture.Text(expected, ChatUpdateKind.Reasoning);
        Assert.Contains("Thinking…\n" + reasoning, text);
        // After /reset the conversation starts over: "Hi" alone, nothing cached.
        using var another = new ChatEngine(reference.Model, reference.Tokenizer);
        var hi = await EngineFixture.CollectAsync(another.ChatAsync([ChatMessage.User("Hi")], options));
        Assert.Contains($"{hi[^1].Usage!.Value.PromptTokens} prompt (0 cached)", text);
    }

    [Fact]
    public async Task TheEndOfInputEndsTheSession()
    {
        using var engine = EngineFixture.Load();
        var output = new StringWriter();
        Assert.Equal(0, await new ChatRepl(engine, EngineFixture.Greedy(4), new StringReader("hello"), output, ansi: false).RunAsync());
        Assert.Contains("[4 tokens", output.ToString());
    }

    [Fact]
    public async Task PipedLinesAreEchoedWhenAsked()
    {
        using var engine = EngineFixture.Load();
        var output = new StringWriter();
        await new ChatRepl(engine, EngineFixture.Greedy(2), new StringReader("/think off\n/exit\n"), output, ansi: false, echoInput: true).RunAsync();
        Assert.Contains("> /think off\n(reasoning off)\n> /exit\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task AnsiStylingDimsTheReasoning()
    {
        using var engine = EngineFixture.Load();
        var output = new StringWriter();
        await new ChatRepl(engine, EngineFixture.Greedy(6), new StringReader("hello\n"), output, ansi: true).RunAsync();
        Assert.Contains("\e[2mThinking…\e[0m", output.ToString());
    }

    private static int CountOf(string text, string part)
    {
        int count = 0;
        for (int at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + 1, StringComparison.Ordinal))
        {
            count++;
        }
        return count;
    }
}
