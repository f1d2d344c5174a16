namespace DeepSharp.Compute;

/// <summary>Element-wise activation functions.</summary>
public static class Activations
{
    /// <summary><paramref name="destination"/>[i] = silu(<paramref name="gate"/>[i]) · <paramref name="up"/>[i], silu(z) = z / (1 + e^−z).</summary>
    public static void SwiGlu(ReadOnlySpan<float> gate, ReadOnlySpan<float> up, Span<float> destination)
    {
        if (up.Length != gate.Length || destination.Length != gate.Length)
        {
            throw new ArgumentException($"SwiGLU lengths differ: gate {gate.Length}, up {up.Length}, destination {destination.Length}");
        }
        for (int i = 0; i < gate.Length; i++)
        {
            float g = gate[i];
            destination[i] = g / (1 + MathF.Exp(-g)) * up[i];
        }
    }
}
