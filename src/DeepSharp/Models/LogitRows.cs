namespace DeepSharp.Models;

/// <summary>Which logits rows a sequence of a batched forward pass wants.</summary>
public enum LogitRows
{
    /// <summary>None: the tokens only fill the cache (a prompt chunk that is not the last).</summary>
    None,

    /// <summary>The row after the sequence's last token (the next-token distribution).</summary>
    Last,

    /// <summary>One row after each of the sequence's tokens (perplexity, speculative checks).</summary>
    All,
}
