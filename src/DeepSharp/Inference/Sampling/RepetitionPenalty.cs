namespace DeepSharp.Inference.Sampling;

/// <summary>
/// Makes tokens seen in the last <see cref="Window"/> tokens less likely (CTRL-style, as llama.cpp does it): a
/// positive logit is divided by the penalty, a negative one multiplied, once per distinct token.
/// </summary>
public sealed class RepetitionPenalty : ILogitProcessor
{
    private readonly HashSet<int> _seen = [];

    /// <summary>Creates the penalty; 1 disables it.</summary>
    public RepetitionPenalty(float penalty, int window)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(penalty);
        ArgumentOutOfRangeException.ThrowIfNegative(window);
        Penalty = penalty;
        Window = window;
    }

    /// <summary>The divisor (above 1 discourages repeats).</summary>
    public float Penalty { get; }

    /// <summary>How many of the latest tokens count.</summary>
    public int Window { get; }

    /// <inheritdoc />
    public void Process(Span<float> logits, IReadOnlyList<int> history)
    {
        _seen.Clear();
        for (int i = Math.Max(0, history.Count - Window); i < history.Count; i++)
        {
            int token = history[i];
            if ((uint)token < (uint)logits.Length && _seen.Add(token))
            {
                logits[token] = logits[token] > 0 ? logits[token] / Penalty : logits[token] * Penalty;
            }
        }
    }
}
