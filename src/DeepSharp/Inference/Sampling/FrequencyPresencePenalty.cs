namespace DeepSharp.Inference.Sampling;

/// <summary>
/// OpenAI-style penalties over the last <see cref="Window"/> tokens: each token's logit drops by
/// count × frequency penalty, plus the presence penalty once if it occurred at all.
/// </summary>
public sealed class FrequencyPresencePenalty : ILogitProcessor
{
    private readonly Dictionary<int, int> _counts = [];

    /// <summary>Creates the penalty.</summary>
    public FrequencyPresencePenalty(float frequency, float presence, int window)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(window);
        Frequency = frequency;
        Presence = presence;
        Window = window;
    }

    /// <summary>Subtracted per occurrence.</summary>
    public float Frequency { get; }

    /// <summary>Subtracted once for any occurrence.</summary>
    public float Presence { get; }

    /// <summary>How many of the latest tokens count.</summary>
    public int Window { get; }

    /// <inheritdoc />
    public void Process(Span<float> logits, IReadOnlyList<int> history)
    {
        _counts.Clear();
        for (int i = Math.Max(0, history.Count - Window); i < history.Count; i++)
        {
            int token = history[i];
            if ((uint)token < (uint)logits.Length)
            {
                _counts[token] = _counts.GetValueOrDefault(token) + 1;
            }
        }
        foreach (var (token, count) in _counts)
        {
            logits[token] -= count * Frequency + Presence;
        }
    }
}
