using DeepSharp.Compute;

namespace DeepSharp.Inference.Sampling;

/// <summary>Draws a candidate with probability softmax(logits), from a seeded generator.</summary>
public sealed class RandomPicker(SeededRandom random) : ITokenPicker
{
    /// <summary>Creates a picker seeded with <paramref name="seed"/>.</summary>
    public RandomPicker(ulong seed)
        : this(new SeededRandom(seed))
    {
    }

    /// <inheritdoc />
    public int Pick(TokenCandidates candidates)
    {
        var probabilities = candidates.Probabilities();
        double r = random.NextDouble();
        double cumulative = 0;
        for (int i = 0; i < probabilities.Length; i++)
        {
            cumulative += probabilities[i];
            if (r < cumulative)
            {
                return candidates.Ids[i];
            }
        }
        // Rounding left the sum just under r: the last candidate with any probability takes it.
        for (int i = probabilities.Length - 1; i > 0; i--)
        {
            if (probabilities[i] > 0)
            {
                return candidates.Ids[i];
            }
        }
        return candidates.Ids[0];
    }
}
