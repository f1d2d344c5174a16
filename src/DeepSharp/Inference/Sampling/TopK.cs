namespace DeepSharp.Inference.Sampling;

/// <summary>Keeps the <see cref="K"/> most likely candidates (0 keeps all).</summary>
public sealed class TopK(int k) : ICandidateFilter
{
    /// <summary>Candidates kept.</summary>
    public int K { get; } = k >= 0 ? k : throw new ArgumentOutOfRangeException(nameof(k), k, "top-k must not be negative");

    /// <inheritdoc />
    public void Apply(TokenCandidates candidates)
    {
        if (K == 0 || K >= candidates.Count)
        {
            return;
        }
        candidates.Sort();
        candidates.Truncate(K);
    }
}
