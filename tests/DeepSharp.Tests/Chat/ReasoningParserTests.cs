using System.Text;
using CsCheck;
using DeepSharp.Chat;

namespace DeepSharp.Tests.Chat;

/// <summary>
/// The streaming parser must give the same reasoning and content however the text is cut into pieces. The
/// expected split comes from <see cref="SplitWhole"/>, a direct reading of the whole text with plain string
/// operations, independent of the parser's state machine.
/// </summary>
public sealed class ReasoningParserTests
{
    private const string Start = "<think>";
    private const string End = "</think>";

    /// <summary>The whole-text reference: what a reply means once it is complete.</summary>
    private static (string Reasoning, string Content) SplitWhole(string text, bool startInReasoning, bool trim = true)
    {
        string rest;
        if (startInReasoning)
        {
            rest = text;
        }
        else
        {
            string t = text.TrimStart();
            if (!t.StartsWith(Start, StringComparison.Ordinal))
            {
                return ("", trim ? text.TrimStart() : text);
            }
            rest = t[Start.Length..];
        }
        int at = rest.IndexOf(End, StringComparison.Ordinal);
        string reasoning = at < 0 ? rest : rest[..at];
        string content = at < 0 ? "" : rest[(at + End.Length)..];
        return trim ? (reasoning.Trim(), content.TrimStart()) : (reasoning, content);
    }

    /// <summary>Runs the parser over pieces and checks the delta invariants on the way.</summary>
    private static (string Reasoning, string Content) Stream(IEnumerable<string> pieces, ReasoningParserOptions options)
    {
        var parser = new ReasoningParser(options);
        var reasoning = new StringBuilder();
        var content = new StringBuilder();
        void Take(IReadOnlyList<ReasoningDelta> deltas)
        {
            for (int i = 0; i < deltas.Count; i++)
            {
                Assert.NotEqual("", deltas[i].Text);
                Assert.True(i == 0 || deltas[i].Kind != deltas[i - 1].Kind, "adjacent deltas of one kind were not merged");
                Assert.False(deltas[i].Kind == ReasoningDeltaKind.Reasoning && content.Length > 0, "reasoning after content");
                (deltas[i].Kind == ReasoningDeltaKind.Reasoning ? reasoning : content).Append(deltas[i].Text);
            }
        }
        foreach (string piece in pieces)
        {
            Take(parser.Push(piece));
        }
        Take(parser.Flush());
        return (reasoning.ToString(), content.ToString());
    }

    private static IEnumerable<string> Cut(string text, params int[] cuts)
    {
        int previous = 0;
        foreach (int c in cuts.Order())
        {
            yield return text[previous..c];
            previous = c;
        }
        yield return text[previous..];
    }

    public static TheoryData<string, bool> Replies() => new()
    {
        { "<think>\nLet me add: 2+2 is 4.\n</think>\n\nThe answer is 4.", false },
        { "Let me add: 2+2 is 4.\n</think>\n\nThe answer is 4.", true },
        { "<think></think>Direct answer.", false },
        { "<think>\n\n</think>\n\nDirect answer.", false },
        { "No think block at all.", false },
        { "  \n<think>x</think>y", false },
        { "<thinking is not a tag> so this is content", false },
        { "<think>never closed, stream ends", false },
        { "reasoning with a stray </thi and < / > inside</think>answer", true },
        { "<think>a</think>b</think>c<think>d", false },
        { "", true },
        { "", false },
    };

    [Theory]
    [MemberData(nameof(Replies))]
    public void EveryTwoAndThreeWayCutGivesTheWholeTextSplit(string text, bool startInReasoning)
    {
        var options = new ReasoningParserOptions { StartInReasoning = startInReasoning };
        var expected = SplitWhole(text, startInReasoning);
        Assert.Equal(expected, Stream([text], options));
        Assert.Equal(expected, Stream(text.Select(c => c.ToString()), options));
        for (int i = 0; i <= text.Length; i++)
        {
            Assert.Equal(expected, Stream(Cut(text, i), options));
            for (int j = i; j <= text.Length; j++)
            {
                Assert.Equal(expected, Stream(Cut(text, i, j), options));
            }
        }
    }

    [Fact]
    public void KnownSplitsOfAnR1Reply()
    {
        string reply = "<think>\nLet me add: 2+2 is 4.\n</think>\n\nThe answer is 4.";
        Assert.Equal(("Let me add: 2+2 is 4.", "The answer is 4."), Stream([reply], new ReasoningParserOptions()));
        Assert.Equal(("\nLet me add: 2+2 is 4.\n", "\n\nThe answer is 4."), Stream([reply], new ReasoningParserOptions { TrimWhitespace = false }));
        Assert.Equal(("", "Plain."), Stream(["<think>", "</think>", "Plain."], new ReasoningParserOptions()));
        Assert.Equal(("", "</think> is literal here"), Stream(["</think> is literal here"], new ReasoningParserOptions()));
    }

    [Fact]
    public void RandomTextsAndCutsAgreeWithTheWholeTextSplit()
    {
        var fragment = Gen.OneOf<string>(Start, End, "<", "</", "<th", "</thi", "think", ">", "/", " ", "\n", "a", "b c", "思考", "🙂");
        var reply = fragment.Array[0, 12].Select(parts => string.Concat(parts));
        var cases = Gen.Select(reply, Gen.Bool, Gen.Bool, Gen.Int[0, 1000].Array[0, 6]);
        cases.Sample((text, startInReasoning, trim, cutSeeds) =>
        {
            int[] cuts = [.. cutSeeds.Select(s => s % (text.Length + 1))];
            var options = new ReasoningParserOptions { StartInReasoning = startInReasoning, TrimWhitespace = trim };
            Assert.Equal(SplitWhole(text, startInReasoning, trim), Stream(Cut(text, cuts), options));
        }, iter: 5000);
    }

    [Fact]
    public void PartialTagsAreHeldBackUntilDecided()
    {
        var parser = new ReasoningParser(new ReasoningParserOptions { StartInReasoning = true });
        Assert.Equal([new ReasoningDelta(ReasoningDeltaKind.Reasoning, "step one")], parser.Push("step one</th"));
        Assert.Empty(parser.Push("in"));
        Assert.Equal([new ReasoningDelta(ReasoningDeltaKind.Reasoning, "</thinx")], parser.Push("x"));
        Assert.Equal(
            [new ReasoningDelta(ReasoningDeltaKind.Reasoning, " done"), new ReasoningDelta(ReasoningDeltaKind.Content, "Answer")],
            parser.Push(" done</think>\n\nAnswer"));
        Assert.Equal(ReasoningPhase.Content, parser.Phase);
        Assert.Empty(parser.Flush());
    }

    [Fact]
    public void AwaitsTheStartTagThroughWhitespace()
    {
        var parser = new ReasoningParser();
        Assert.Empty(parser.Push("\n"));
        Assert.Empty(parser.Push("<th"));
        Assert.Equal(ReasoningPhase.AwaitingStart, parser.Phase);
        Assert.Empty(parser.Push("ink>\n"));
        Assert.Equal(ReasoningPhase.Reasoning, parser.Phase);
        Assert.Equal([new ReasoningDelta(ReasoningDeltaKind.Reasoning, "hmm")], parser.Push("hmm"));
    }

    [Fact]
    public void BudgetCountsReasoningTokensAndInjectedEndTagClosesTheBlock()
    {
        var parser = new ReasoningParser(new ReasoningParserOptions { StartInReasoning = true, ReasoningBudget = 5 });
        parser.Push("First", 2);
        parser.Push(" thought", 2);
        Assert.False(parser.BudgetExhausted);
        Assert.Equal(4, parser.ReasoningTokens);
        parser.Push(" and", 1);
        Assert.True(parser.BudgetExhausted);

        // The caller appends the end tag's tokens to the model input and pushes their text.
        var closing = parser.Push(parser.EndTag, 1);
        Assert.Empty(closing);
        Assert.Equal(ReasoningPhase.Content, parser.Phase);
        Assert.False(parser.BudgetExhausted);
        Assert.Equal([new ReasoningDelta(ReasoningDeltaKind.Content, "Answer.")], parser.Push("\n\nAnswer.", 3));
        Assert.Equal(5, parser.ReasoningTokens);
    }

    [Fact]
    public void BudgetClosesAPartialTagAsReasoningText()
    {
        var parser = new ReasoningParser(new ReasoningParserOptions { StartInReasoning = true, ReasoningBudget = 1 });
        Assert.Equal([new ReasoningDelta(ReasoningDeltaKind.Reasoning, "x")], parser.Push("x </th"));
        Assert.True(parser.BudgetExhausted);
        Assert.Equal([new ReasoningDelta(ReasoningDeltaKind.Reasoning, " </th")], parser.Push(parser.EndTag));
        Assert.Equal(ReasoningPhase.Content, parser.Phase);
    }

    [Fact]
    public void ZeroBudgetIsExhaustedAtOnceAndNoBudgetNever()
    {
        Assert.True(new ReasoningParser(new ReasoningParserOptions { StartInReasoning = true, ReasoningBudget = 0 }).BudgetExhausted);
        var unlimited = new ReasoningParser(new ReasoningParserOptions { StartInReasoning = true });
        unlimited.Push("long", 1_000_000);
        Assert.False(unlimited.BudgetExhausted);
    }

    [Fact]
    public void RejectsMisuse()
    {
        Assert.Throws<ArgumentException>(() => new ReasoningParser(new ReasoningParserOptions { EndTag = "" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ReasoningParser(new ReasoningParserOptions { ReasoningBudget = -1 }));
        var parser = new ReasoningParser();
        Assert.Throws<ArgumentOutOfRangeException>(() => parser.Push("x", -1));
        parser.Flush();
        Assert.Throws<InvalidOperationException>(() => parser.Push("late"));
    }

    [Theory]
    [InlineData("deepseek-r1-distill-qwen", "enable_thinking", true, true)]
    [InlineData("llama-cpp-deepseek-r1", null, false, true)]
    [InlineData("deepseek-r1-distill-llama", null, false, true)]
    [InlineData("deepseek-v3.1", "thinking", true, true)]
    [InlineData("deepseek-v3.1", "thinking", false, false)]
    [InlineData("qwen3", "enable_thinking", false, false)]
    [InlineData("qwen3", null, false, false)]
    [InlineData("deepseek-v3", null, false, false)]
    public void RenderedPromptsTellWhetherReasoningIsOpen(string templateId, string? variable, bool value, bool opens)
    {
        var template = TemplateCatalog.Get(templateId);
        string prompt = ChatTemplate.Parse(template.Source).Render(new ChatTemplateContext
        {
            Messages = [ChatMessage.User("2+2?")],
            AddGenerationPrompt = true,
            BosToken = template.BosToken,
            EosToken = template.EosToken,
            Variables = variable is null ? null : new Dictionary<string, object?> { [variable] = value },
        });
        Assert.Equal(opens, ReasoningParser.PromptOpensReasoning(prompt));
        Assert.Equal(opens ? ReasoningPhase.Reasoning : ReasoningPhase.AwaitingStart, ReasoningParser.ForPrompt(prompt).Phase);
    }
}
