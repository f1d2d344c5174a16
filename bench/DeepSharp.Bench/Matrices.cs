using DeepSharp.Quantization;

namespace DeepSharp.Bench;

/// <summary>Weight matrices and activation rows for the benchmarks.</summary>
internal static class Matrices
{
    /// <summary>
    /// A <paramref name="rows"/> × <paramref name="columns"/> matrix in <paramref name="format"/>: 16 Gaussian rows
    /// encoded with the reference quantizer, repeated (kernel speed does not depend on the values, and the
    /// reference K-quant encoders are too slow to encode millions of elements for a benchmark).
    /// </summary>
    public static byte[] Weights(IQuantFormat format, int rows, int columns)
    {
        int rowBytes = format.RowBytes(columns);
        var distinct = new byte[16 * rowBytes];
        var rng = new Random(1);
        var x = new float[columns];
        for (int r = 0; r < 16; r++)
        {
            for (int i = 0; i < columns; i++)
            {
                x[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble()));
            }
            format.Quantize(x, distinct.AsSpan(r * rowBytes, rowBytes));
        }
        var weights = new byte[(long)rows * rowBytes];
        for (int r = 0; r < rows; r++)
        {
            distinct.AsSpan((r % 16) * rowBytes, rowBytes).CopyTo(weights.AsSpan(r * rowBytes));
        }
        return weights;
    }

    /// <summary><paramref name="count"/> activation rows of <paramref name="columns"/> Gaussian values in <paramref name="format"/>'s dot type.</summary>
    public static byte[] Activations(IQuantFormat format, int columns, int count)
    {
        var rng = new Random(2);
        var x = new float[columns];
        int bytes = format.ActivationBytes(columns);
        var activations = new byte[count * bytes];
        for (int t = 0; t < count; t++)
        {
            for (int i = 0; i < columns; i++)
            {
                x[i] = (float)(rng.NextDouble() * 2 - 1);
            }
            format.QuantizeActivations(x, activations.AsSpan(t * bytes, bytes));
        }
        return activations;
    }
}
