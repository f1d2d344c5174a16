namespace DeepSharp.Inference.Sampling;

/// <summary>Nucleus sampling: keeps the fewest most-likely candidates whose probabilities add up to at least <see cref="P"/> (1 keeps all).</summary>
public sealed class TopP(float p) : ICandidateFilter
{
    /// <summary>Cumulative probability kept.</summary>
    public float P { get; } = p is > 0 and <= 1 ? p : throw new ArgumentOutOfRangeException(nameof(p), p, "top-p must be in (0, 1]");

    /// <inheritdoc />
    public void Apply(TokenCandidates candidates)
    {
        if (P >= 1)
        {
            return;
        }
        candidates.Sort();
        var probabilities = candidates.Probabilities();
        double cumulative = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            cumulative += probabilities[i];
            if (cumulative >= P)
            {
                candidates.Truncate(i + 1);
                return;
            }
        }
    }
}
