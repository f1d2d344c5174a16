namespace DeepSharp.Engine;

/// <summary>Token counts of one reply.</summary>
/// <param name="PromptTokens">Tokens of the rendered prompt.</param>
/// <param name="CachedPromptTokens">Prompt tokens that were already in the KV cache from the previous turn and were not evaluated again.</param>
/// <param name="CompletionTokens">Tokens the model sampled (injected tokens such as a forced end of reasoning are not counted).</param>
/// <param name="ReasoningTokens">Completion tokens spent inside the think block.</param>
public readonly record struct ChatUsage(int PromptTokens, int CachedPromptTokens, int CompletionTokens, int ReasoningTokens)
{
    /// <summary>Prompt and completion tokens together.</summary>
    public int TotalTokens => PromptTokens + CompletionTokens;
}
