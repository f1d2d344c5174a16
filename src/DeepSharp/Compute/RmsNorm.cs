using System.Numerics.Tensors;

namespace DeepSharp.Compute;

/// <summary>RMSNorm: <c>y = x / sqrt(mean(x²) + eps) · w</c> (FACTS.md §3.1).</summary>
public static class RmsNorm
{
    /// <summary>Normalises <paramref name="x"/> into <paramref name="destination"/> (which may be <paramref name="x"/> itself).</summary>
    public static void Apply(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, float epsilon, Span<float> destination)
    {
        if (weight.Length != x.Length || destination.Length != x.Length)
        {
            throw new ArgumentException($"RMSNorm lengths differ: x {x.Length}, weight {weight.Length}, destination {destination.Length}");
        }
        // The sum of squares in double, as ggml accumulates it; the scale itself is float.
        double sum = 0;
        foreach (float v in x)
        {
            sum += v * v;
        }
        float scale = 1f / MathF.Sqrt((float)(sum / x.Length) + epsilon);
        TensorPrimitives.Multiply(x, scale, destination);
        TensorPrimitives.Multiply(destination, weight, destination);
    }

    /// <summary>Applies <see cref="Apply"/> to each <paramref name="width"/>-wide row of <paramref name="rows"/> in place.</summary>
    public static void ApplyRows(Span<float> rows, int width, ReadOnlySpan<float> weight, float epsilon)
    {
        for (int start = 0; start < rows.Length; start += width)
        {
            var row = rows.Slice(start, width);
            Apply(row, weight, epsilon, row);
        }
    }
}
