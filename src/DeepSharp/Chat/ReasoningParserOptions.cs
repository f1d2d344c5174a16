namespace DeepSharp.Chat;

/// <summary>Settings of a <see cref="ReasoningParser"/>.</summary>
public sealed record ReasoningParserOptions
{
    /// <summary>The tag that opens reasoning (DeepSeek-R1, V3.1 and Qwen3 all use <c>&lt;think&gt;</c>).</summary>
    public string StartTag { get; init; } = "<think>";

    /// <summary>The tag that closes reasoning.</summary>
    public string EndTag { get; init; } = "</think>";

    /// <summary>
    /// Start inside the think block, because the prompt already opened it (the R1 templates end the prompt with
    /// <c>&lt;think&gt;\n</c>). See <see cref="ReasoningParser.PromptOpensReasoning"/>.
    /// </summary>
    public bool StartInReasoning { get; init; }

    /// <summary>
    /// The most tokens the model may spend reasoning, counted from the token counts given to
    /// <see cref="ReasoningParser.Push"/>; null for no limit. When it is spent,
    /// <see cref="ReasoningParser.BudgetExhausted"/> turns true and the caller should close the block.
    /// </summary>
    public int? ReasoningBudget { get; init; }

    /// <summary>
    /// Drop whitespace at the start and end of the reasoning and at the start of the content (the newlines
    /// models put around the tags), as DeepSeek's API does. On by default.
    /// </summary>
    public bool TrimWhitespace { get; init; } = true;
}
