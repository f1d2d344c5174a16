namespace DeepSharp.Inference.Sampling;

/// <summary>
/// Picks the next token from a logits row: logit processors on a copy of the row, then candidate filters in
/// order, then a picker. Reuses its buffers, so sampling allocates nothing per token. Not thread-safe.
/// </summary>
public sealed class Sampler
{
    private readonly ILogitProcessor[] _processors;
    private readonly ICandidateFilter[] _filters;
    private readonly ITokenPicker _picker;
    private readonly TokenCandidates _candidates;
    private readonly float[] _logits;

    /// <summary>Assembles a chain for a vocabulary of <paramref name="vocabSize"/> tokens.</summary>
    public Sampler(int vocabSize, IEnumerable<ILogitProcessor> processors, IEnumerable<ICandidateFilter> filters, ITokenPicker picker)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(vocabSize);
        _processors = [.. processors];
        _filters = [.. filters];
        _picker = picker;
        _candidates = new TokenCandidates(vocabSize);
        _logits = new float[vocabSize];
    }

    /// <summary>The chain that <paramref name="options"/> describe.</summary>
    public static Sampler Create(int vocabSize, SamplingOptions options)
    {
        var processors = new List<ILogitProcessor>();
        if (options.LogitBias is { Count: > 0 } bias)
        {
            processors.Add(new LogitBias(bias));
        }
        if (options.RepetitionPenalty != 1)
        {
            processors.Add(new RepetitionPenalty(options.RepetitionPenalty, options.PenaltyWindow));
        }
        if (options.FrequencyPenalty != 0 || options.PresencePenalty != 0)
        {
            processors.Add(new FrequencyPresencePenalty(options.FrequencyPenalty, options.PresencePenalty, options.PenaltyWindow));
        }
        processors.AddRange(options.Constraints);
        if (options.Temperature <= 0)
        {
            return new Sampler(vocabSize, processors, [], new GreedyPicker());
        }
        ICandidateFilter[] filters = [new TopK(options.TopK), new TopP(options.TopP), new MinP(options.MinP), new Temperature(options.Temperature)];
        return new Sampler(vocabSize, processors, filters, new RandomPicker(options.Seed));
    }

    /// <summary>Chooses a token given <paramref name="logits"/> (left unchanged) and the tokens so far.</summary>
    public int Sample(ReadOnlySpan<float> logits, IReadOnlyList<int> history)
    {
        if (logits.Length != _logits.Length)
        {
            throw new ArgumentException($"expected {_logits.Length} logits, got {logits.Length}", nameof(logits));
        }
        logits.CopyTo(_logits);
        foreach (var p in _processors)
        {
            p.Process(_logits, history);
        }
        _candidates.Reset(_logits);
        foreach (var f in _filters)
        {
            f.Apply(_candidates);
            if (_candidates.Count == 0)
            {
                throw new InvalidOperationException($"sampling filter {f.GetType().Name} removed every candidate");
            }
        }
        return _picker.Pick(_candidates);
    }
}
