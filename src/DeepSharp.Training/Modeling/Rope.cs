using static TorchSharp.torch;

namespace DeepSharp.Training.Modeling;

/// <summary>
/// Rotary position embedding in ggml's NORM mode, used by deepseek2: adjacent pairs (2i, 2i+1) rotate by
/// <c>p · base^(−2i/d)</c> (FACTS.md §3.2). No frequency scaling: the tiny model has no YaRN keys.
/// </summary>
public sealed class Rope
{
    private readonly Tensor _cos;
    private readonly Tensor _sin;

    /// <summary>Precomputes the tables for positions 0 .. <paramref name="maxPositions"/>−1.</summary>
    public Rope(int dims, int maxPositions, float freqBase)
    {
        if (dims % 2 != 0)
        {
            throw new ArgumentException($"rope dimension {dims} must be even", nameof(dims));
        }
        var angles = new float[maxPositions * dims / 2];
        // ggml's float recurrence (rope_cache_init): theta starts at p and is multiplied by base^(-2/d) per pair.
        float thetaScale = MathF.Pow(freqBase, -2f / dims);
        for (int p = 0; p < maxPositions; p++)
        {
            float theta = p;
            for (int i = 0; i < dims / 2; i++)
            {
                angles[(p * dims / 2) + i] = theta;
                theta *= thetaScale;
            }
        }
        using var a = tensor(angles, [maxPositions, dims / 2]);
        _cos = a.cos().DetachFromDisposeScope();
        _sin = a.sin().DetachFromDisposeScope();
        Dims = dims;
        MaxPositions = maxPositions;
    }

    /// <summary>Rotated width.</summary>
    public int Dims { get; }

    /// <summary>Positions the tables cover.</summary>
    public int MaxPositions { get; }

    /// <summary>Rotates <paramref name="x"/> of shape [B, T, heads, dims] at positions start .. start+T−1.</summary>
    public Tensor Apply(Tensor x, int start)
    {
        long t = x.shape[1];
        if (start + t > MaxPositions)
        {
            throw new ArgumentOutOfRangeException(nameof(start), $"positions up to {start + t} exceed the context of {MaxPositions}");
        }
        var cos = _cos.narrow(0, start, t).view(1, t, 1, Dims / 2);
        var sin = _sin.narrow(0, start, t).view(1, t, 1, Dims / 2);
        var pairs = x.reshape(x.shape[0], t, x.shape[2], Dims / 2, 2);
        var x0 = pairs.select(-1, 0);
        var x1 = pairs.select(-1, 1);
        return stack([(x0 * cos) - (x1 * sin), (x0 * sin) + (x1 * cos)], -1).reshape(x.shape);
    }
}
