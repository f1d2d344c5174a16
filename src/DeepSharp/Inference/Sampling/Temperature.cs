namespace DeepSharp.Inference.Sampling;

/// <summary>Divides logits by <see cref="Value"/>: below 1 sharpens the distribution, above 1 flattens it.</summary>
public sealed class Temperature(float value) : ICandidateFilter
{
    /// <summary>The temperature.</summary>
    public float Value { get; } = value > 0 ? value : throw new ArgumentOutOfRangeException(nameof(value), value, "a temperature must be positive; use greedy picking for 0");

    /// <inheritdoc />
    public void Apply(TokenCandidates candidates)
    {
        var logits = candidates.Logits;
        for (int i = 0; i < logits.Length; i++)
        {
            logits[i] /= Value;
        }
    }
}
