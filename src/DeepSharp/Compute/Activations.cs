using System.Numerics.Tensors;

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
        // Vectorised in slices through a small buffer: a prompt's feed-forward has millions of elements per layer.
        Span<float> buffer = stackalloc float[256];
        for (int start = 0; start < gate.Length; start += buffer.Length)
        {
            int n = Math.Min(buffer.Length, gate.Length - start);
            var g = gate.Slice(start, n);
            var t = buffer[..n];
            TensorPrimitives.Negate(g, t);
            TensorPrimitives.Exp(t, t);
            TensorPrimitives.Add(t, 1f, t);
            TensorPrimitives.Divide(g, t, t);
            TensorPrimitives.Multiply(t, up.Slice(start, n), destination.Slice(start, n));
        }
    }
}
