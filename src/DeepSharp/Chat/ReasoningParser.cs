namespace DeepSharp.Chat;

/// <summary>
/// Splits a model's streamed output into reasoning and content at the <c>&lt;think&gt;…&lt;/think&gt;</c> tags.
/// A small state machine (<see cref="ReasoningPhase"/>): text that might be the beginning of a tag is held
/// back until the next piece decides, so tags split across pieces are handled; a reply without a think block
/// is all content; an empty block yields no reasoning.
/// </summary>
/// <remarks>
/// Usage: render the prompt, create the parser with <see cref="ForPrompt"/>, then for each decoded piece call
/// <see cref="Push"/> (with the number of tokens it came from) and forward the deltas; call <see cref="Flush"/>
/// at the end. When <see cref="BudgetExhausted"/> turns true, append the tokens of <see cref="EndTag"/> to the
/// model's input and <see cref="Push"/> their text like any other piece: the parser then switches to content
/// and the model goes on to write its answer.
/// </remarks>
public sealed class ReasoningParser
{
    private static readonly IReadOnlyList<ReasoningDelta> None = [];

    private readonly ReasoningParserOptions _options;
    private string _pending = "";       // text held back until the next piece decides what it is
    private bool _reasoningStarted;     // non-whitespace reasoning has been emitted
    private bool _contentStarted;       // non-whitespace content has been emitted
    private bool _flushed;

    /// <summary>Creates a parser.</summary>
    public ReasoningParser(ReasoningParserOptions? options = null)
    {
        _options = options ?? new ReasoningParserOptions();
        if (string.IsNullOrEmpty(_options.StartTag) || string.IsNullOrEmpty(_options.EndTag))
        {
            throw new ArgumentException("the start and end tags must not be empty", nameof(options));
        }
        if (_options.ReasoningBudget < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "the reasoning budget must not be negative");
        }
        Phase = _options.StartInReasoning ? ReasoningPhase.Reasoning : ReasoningPhase.AwaitingStart;
    }

    /// <summary>Where the parser is now.</summary>
    public ReasoningPhase Phase { get; private set; }

    /// <summary>The text that closes the think block; what to inject when the budget is spent.</summary>
    public string EndTag => _options.EndTag;

    /// <summary>Tokens counted as reasoning so far (pieces that left the parser inside the think block).</summary>
    public int ReasoningTokens { get; private set; }

    /// <summary>
    /// True while the parser is still reasoning and the reasoning budget is spent: the caller should inject
    /// <see cref="EndTag"/> (and push its text) so the model moves on to the answer.
    /// </summary>
    public bool BudgetExhausted =>
        Phase == ReasoningPhase.Reasoning && _options.ReasoningBudget is int budget && ReasoningTokens >= budget;

    /// <summary>
    /// Creates a parser for a reply to <paramref name="renderedPrompt"/>: it starts inside reasoning when the
    /// prompt ends in an open think block.
    /// </summary>
    public static ReasoningParser ForPrompt(string renderedPrompt, ReasoningParserOptions? options = null)
    {
        options ??= new ReasoningParserOptions();
        return new ReasoningParser(options with { StartInReasoning = PromptOpensReasoning(renderedPrompt, options.StartTag, options.EndTag) });
    }

    /// <summary>
    /// Whether the prompt leaves a think block open: its last start tag comes after its last end tag. True for
    /// DeepSeek-R1 (<c>…&lt;｜Assistant｜&gt;&lt;think&gt;\n</c>) and V3.1 with thinking on; false when thinking is
    /// switched off (<c>&lt;think&gt;&lt;/think&gt;</c>) or the template has no think tags.
    /// </summary>
    public static bool PromptOpensReasoning(string renderedPrompt, string startTag = "<think>", string endTag = "</think>")
    {
        ArgumentNullException.ThrowIfNull(renderedPrompt);
        int start = renderedPrompt.LastIndexOf(startTag, StringComparison.Ordinal);
        return start >= 0 && renderedPrompt.IndexOf(endTag, start + startTag.Length, StringComparison.Ordinal) < 0;
    }

    /// <summary>Feeds the next piece of decoded text and returns what can already be told apart.</summary>
    /// <param name="piece">The decoded text of the newest tokens.</param>
    /// <param name="tokenCount">How many tokens the piece came from, for the reasoning budget.</param>
    public IReadOnlyList<ReasoningDelta> Push(string piece, int tokenCount = 1)
    {
        ArgumentNullException.ThrowIfNull(piece);
        ArgumentOutOfRangeException.ThrowIfNegative(tokenCount);
        if (_flushed)
        {
            throw new InvalidOperationException("the parser was flushed; create a new one for the next reply");
        }
        var output = new List<ReasoningDelta>(2);
        string text = _pending + piece;
        _pending = "";
        if (Phase == ReasoningPhase.AwaitingStart)
        {
            text = AwaitStart(text, output);
        }
        if (Phase == ReasoningPhase.Reasoning)
        {
            text = InReasoning(text, output);
        }
        if (Phase == ReasoningPhase.Content)
        {
            EmitContent(text, output);
        }
        if (Phase == ReasoningPhase.Reasoning)
        {
            ReasoningTokens += tokenCount;
        }
        return output.Count == 0 ? None : output;
    }

    /// <summary>Ends the reply: releases any held-back text (a partial tag turns out to be plain text).</summary>
    public IReadOnlyList<ReasoningDelta> Flush()
    {
        if (_flushed)
        {
            return None;
        }
        _flushed = true;
        var output = new List<ReasoningDelta>(1);
        string rest = _pending;
        _pending = "";
        if (Phase == ReasoningPhase.Reasoning)
        {
            // Held-back whitespace at the very end is trailing whitespace of the reasoning.
            EmitReasoning(_options.TrimWhitespace ? rest.TrimEnd() : rest, output);
        }
        else
        {
            EmitContent(rest, output);
        }
        return output.Count == 0 ? None : output;
    }

    /// <summary>Before anything but whitespace: decide between a think block and a plain answer.</summary>
    private string AwaitStart(string text, List<ReasoningDelta> output)
    {
        string start = _options.StartTag;
        string trimmed = text.TrimStart();
        if (trimmed.StartsWith(start, StringComparison.Ordinal))
        {
            Phase = ReasoningPhase.Reasoning;
            return trimmed[start.Length..];
        }
        if (start.StartsWith(trimmed, StringComparison.Ordinal))
        {
            _pending = text; // whitespace and perhaps the beginning of the start tag: wait for more
            return "";
        }
        Phase = ReasoningPhase.Content;
        return text;
    }

    /// <summary>Inside the think block: emit reasoning up to the end tag, holding back a possible partial tag.</summary>
    private string InReasoning(string text, List<ReasoningDelta> output)
    {
        string end = _options.EndTag;
        int at = text.IndexOf(end, StringComparison.Ordinal);
        if (at >= 0)
        {
            string reasoning = text[..at];
            EmitReasoning(_options.TrimWhitespace ? reasoning.TrimEnd() : reasoning, output);
            Phase = ReasoningPhase.Content;
            return text[(at + end.Length)..];
        }

        int keep = PartialTagLength(text, end);
        int emit = text.Length - keep;
        if (_options.TrimWhitespace)
        {
            // Whitespace just before a possible end tag may turn out to be trailing: hold it back too.
            while (emit > 0 && char.IsWhiteSpace(text[emit - 1]))
            {
                emit--;
            }
        }
        EmitReasoning(text[..emit], output);
        _pending = text[emit..];
        return "";
    }

    /// <summary>The length of the longest suffix of <paramref name="text"/> that is a proper prefix of <paramref name="tag"/>.</summary>
    private static int PartialTagLength(string text, string tag)
    {
        for (int n = Math.Min(tag.Length - 1, text.Length); n > 0; n--)
        {
            if (text.AsSpan(text.Length - n).SequenceEqual(tag.AsSpan(0, n)))
            {
                return n;
            }
        }
        return 0;
    }

    private void EmitReasoning(string text, List<ReasoningDelta> output) =>
        Emit(ReasoningDeltaKind.Reasoning, text, ref _reasoningStarted, output);

    private void EmitContent(string text, List<ReasoningDelta> output) =>
        Emit(ReasoningDeltaKind.Content, text, ref _contentStarted, output);

    /// <summary>Appends text to a stream, dropping the stream's leading whitespace when trimming.</summary>
    private void Emit(ReasoningDeltaKind kind, string text, ref bool started, List<ReasoningDelta> output)
    {
        if (_options.TrimWhitespace && !started)
        {
            text = text.TrimStart();
        }
        if (text.Length > 0)
        {
            started = true;
            Append(output, kind, text);
        }
    }

    private static void Append(List<ReasoningDelta> output, ReasoningDeltaKind kind, string text)
    {
        if (output.Count > 0 && output[^1].Kind == kind)
        {
            output[^1] = new ReasoningDelta(kind, output[^1].Text + text);
        }
        else
        {
            output.Add(new ReasoningDelta(kind, text));
        }
    }
}
