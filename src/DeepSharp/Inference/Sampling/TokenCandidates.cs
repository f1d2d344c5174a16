namespace DeepSharp.Inference.Sampling;

/// <summary>
/// The tokens still in the running while a token is picked: ids with their logits, optionally sorted by logit
/// (highest first). Filters shrink <see cref="Count"/>; the buffers are reused from step to step.
/// </summary>
public sealed class TokenCandidates
{
    private readonly int[] _ids;
    private readonly float[] _logits;
    private readonly float[] _probabilities;

    /// <summary>Creates room for a vocabulary of <paramref name="capacity"/> tokens.</summary>
    public TokenCandidates(int capacity)
    {
        _ids = new int[capacity];
        _logits = new float[capacity];
        _probabilities = new float[capacity];
    }

    /// <summary>Candidates left.</summary>
    public int Count { get; private set; }

    /// <summary>True while the candidates are ordered by descending logit.</summary>
    public bool IsSorted { get; private set; }

    /// <summary>Candidate ids.</summary>
    public Span<int> Ids => _ids.AsSpan(0, Count);

    /// <summary>Candidate logits (filters may rescale them).</summary>
    public Span<float> Logits => _logits.AsSpan(0, Count);

    /// <summary>Resets to every token of <paramref name="logits"/>, unsorted.</summary>
    public void Reset(ReadOnlySpan<float> logits)
    {
        if (logits.Length > _ids.Length)
        {
            throw new ArgumentException($"{logits.Length} logits exceed the capacity of {_ids.Length}", nameof(logits));
        }
        Count = logits.Length;
        logits.CopyTo(_logits);
        for (int i = 0; i < Count; i++)
        {
            _ids[i] = i;
        }
        IsSorted = false;
    }

    /// <summary>Sorts by descending logit (ties by ascending id, so results never depend on sort stability).</summary>
    public void Sort()
    {
        if (IsSorted)
        {
            return;
        }
        // Sorting by negated logit gives descending order; equal logits keep their ascending ids because the
        // secondary key array is sorted along.
        var keys = _probabilities.AsSpan(0, Count);
        for (int i = 0; i < Count; i++)
        {
            keys[i] = -_logits[i];
        }
        var ids = Ids;
        keys.Sort(ids);
        for (int i = 0; i < Count; i++)
        {
            _logits[i] = -keys[i];
        }
        SortTiesById();
        IsSorted = true;
    }

    /// <summary>Keeps the first <paramref name="count"/> candidates.</summary>
    public void Truncate(int count) => Count = Math.Clamp(count, 0, Count);

    /// <summary>
    /// Softmax of the current logits into a buffer parallel to <see cref="Ids"/> (the normaliser is summed in double).
    /// </summary>
    public ReadOnlySpan<float> Probabilities()
    {
        var logits = Logits;
        var p = _probabilities.AsSpan(0, Count);
        float max = float.NegativeInfinity;
        foreach (float l in logits)
        {
            max = Math.Max(max, l);
        }
        double sum = 0;
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = float.IsNegativeInfinity(logits[i]) ? 0 : MathF.Exp(logits[i] - max);
            sum += p[i];
        }
        for (int i = 0; i < p.Length; i++)
        {
            p[i] = (float)(p[i] / sum);
        }
        return p;
    }

    private void SortTiesById()
    {
        int start = 0;
        for (int i = 1; i <= Count; i++)
        {
            if (i == Count || _logits[i] != _logits[start])
            {
                if (i - start > 1)
                {
                    _ids.AsSpan(start, i - start).Sort();
                }
                start = i;
            }
        }
    }
}
