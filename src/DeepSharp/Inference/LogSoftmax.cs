using System.Numerics.Tensors;

namespace DeepSharp.Inference;

/// <summary>
/// Log-probabilities of a raw logits row (before any sampling filter, as OpenAI reports them):
/// log p(i) = logit(i) − log Σ exp(logit). The normaliser is summed in double.
/// </summary>
public static class LogSoftmax
{
    /// <summary>log Σ exp(<paramref name="logits"/>): subtract it from a logit to get that token's log-probability.</summary>
    public static float Normalizer(ReadOnlySpan<float> logits)
    {
        if (logits.IsEmpty)
        {
            throw new ArgumentException("no logits", nameof(logits));
        }
        float max = TensorPrimitives.Max(logits);
        double sum = 0;
        foreach (float x in logits)
        {
            sum += Math.Exp(x - max);
        }
        return (float)(max + Math.Log(sum));
    }

    /// <summary>
    /// Writes the ids of the <paramref name="ids"/>.Length most likely tokens to <paramref name="ids"/>, most likely
    /// first (ties: the lower id first).
    /// </summary>
    public static void TopTokens(ReadOnlySpan<float> logits, Span<int> ids)
    {
        if (ids.Length > logits.Length)
        {
            throw new ArgumentException($"asked for {ids.Length} tokens of a vocabulary of {logits.Length}", nameof(ids));
        }
        if (ids.IsEmpty)
        {
            return;
        }
        int filled = 0;
        for (int i = 0; i < logits.Length; i++)
        {
            // Insertion into a short sorted list: n is at most a few dozen.
            if (filled == ids.Length && !(logits[i] > logits[ids[filled - 1]]))
            {
                continue;
            }
            int at = Math.Min(filled, ids.Length - 1);
            while (at > 0 && logits[i] > logits[ids[at - 1]])
            {
                ids[at] = ids[at - 1];
                at--;
            }
            ids[at] = i;
            filled = Math.Min(filled + 1, ids.Length);
        }
    }
}
