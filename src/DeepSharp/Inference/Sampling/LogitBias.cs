namespace DeepSharp.Inference.Sampling;

/// <summary>Adds a fixed bias to chosen tokens; <see cref="float.NegativeInfinity"/> bans a token.</summary>
public sealed class LogitBias : ILogitProcessor
{
    private readonly KeyValuePair<int, float>[] _biases;

    /// <summary>Biases by token id.</summary>
    public LogitBias(IReadOnlyDictionary<int, float> biases) => _biases = [.. biases];

    /// <inheritdoc />
    public void Process(Span<float> logits, IReadOnlyList<int> history)
    {
        foreach (var (token, bias) in _biases)
        {
            if ((uint)token >= (uint)logits.Length)
            {
                throw new ArgumentOutOfRangeException(nameof(logits), token, $"logit bias names token {token}, outside the vocabulary of {logits.Length}");
            }
            logits[token] += bias;
        }
    }
}
