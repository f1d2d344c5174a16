namespace DeepSharp.Inference.Sampling;

/// <summary>Keeps candidates whose probability is at least <see cref="P"/> times the most likely one's (0 keeps all).</summary>
public sealed class MinP(float p) : ICandidateFilter
{
    /// <summary>Fraction of the top probability a candidate needs.</summary>
    public float P { get; } = p is >= 0 and <= 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "min-p must be in [0, 1]");

    /// <inheritdoc />
    public void Apply(TokenCandidates candidates)
    {
        if (P <= 0)
        {
            return;
        }
        candidates.Sort();
        // p_i ≥ P · p_max  ⇔  logit_i ≥ logit_max + ln P: no softmax needed.
        var logits = candidates.Logits;
        float threshold = logits[0] + MathF.Log(P);
        int keep = 1;
        while (keep < logits.Length && logits[keep] >= threshold)
        {
            keep++;
        }
        candidates.Truncate(keep);
    }
}
