namespace DeepSharp.Inference.Sampling;

/// <summary>Picks the candidate with the highest logit (the lowest id among equals).</summary>
public sealed class GreedyPicker : ITokenPicker
{
    /// <inheritdoc />
    public int Pick(TokenCandidates candidates)
    {
        var ids = candidates.Ids;
        var logits = candidates.Logits;
        int best = 0;
        for (int i = 1; i < logits.Length; i++)
        {
            if (logits[i] > logits[best] || (logits[i] == logits[best] && ids[i] < ids[best]))
            {
                best = i;
            }
        }
        return ids[best];
    }
}
