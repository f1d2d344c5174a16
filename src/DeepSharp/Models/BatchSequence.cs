using DeepSharp.Compute;

namespace DeepSharp.Models;

/// <summary>
/// One sequence's share of a batched forward pass (<see cref="TransformerModel.Forward(ForwardContext, ReadOnlySpan{int}, ReadOnlySpan{BatchSequence}, Span{float})"/>):
/// its KV cache, the position its first token takes and how many consecutive tokens of the batch are its own. The
/// weight products run once over the rows of all sequences; RoPE, cache writes and attention run per sequence.
/// </summary>
/// <param name="Cache">The sequence's cache; positions before <paramref name="StartPosition"/> must be filled.</param>
/// <param name="StartPosition">Position of the sequence's first token in this batch.</param>
/// <param name="TokenCount">Its tokens in the batch (at least one).</param>
/// <param name="Logits">Which logits rows it wants.</param>
public readonly record struct BatchSequence(KvCache Cache, int StartPosition, int TokenCount, LogitRows Logits)
{
    /// <summary>Logits rows this sequence produces.</summary>
    public int LogitRowCount => Logits switch { LogitRows.Last => 1, LogitRows.All => TokenCount, _ => 0 };

    /// <summary>Tokens of all <paramref name="sequences"/> together.</summary>
    public static int CountTokens(ReadOnlySpan<BatchSequence> sequences)
    {
        int total = 0;
        foreach (var s in sequences)
        {
            total += s.TokenCount;
        }
        return total;
    }

    /// <summary>Logits rows all <paramref name="sequences"/> produce together.</summary>
    public static int CountLogitRows(ReadOnlySpan<BatchSequence> sequences)
    {
        int total = 0;
        foreach (var s in sequences)
        {
            total += s.LogitRowCount;
        }
        return total;
    }
}
