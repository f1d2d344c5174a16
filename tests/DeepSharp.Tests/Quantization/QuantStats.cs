namespace DeepSharp.Tests.Quantization;

/// <summary>Error measures for quantisation tests.</summary>
internal static class QuantStats
{
    /// <summary>RMS of the error divided by the RMS of the data (0 for an exact all-zero row).</summary>
    public static double RelativeRmse(ReadOnlySpan<float> data, ReadOnlySpan<float> decoded)
    {
        double err = 0, sig = 0;
        for (int i = 0; i < data.Length; i++)
        {
            double e = decoded[i] - (double)data[i];
            err += e * e;
            sig += (double)data[i] * data[i];
        }
        return sig > 0 ? Math.Sqrt(err / sig) : Math.Sqrt(err / data.Length);
    }
}
