namespace DeepSharp.Fixtures;

/// <summary>
/// The per-pair RoPE frequency divisors that Llama-3.1 GGUF files carry as <c>rope_freqs.weight</c>, computed from
/// the Hugging Face <c>rope_scaling</c> block {factor 8, low_freq_factor 1, high_freq_factor 4,
/// original_max_position_embeddings 8192} (FACTS.md §3.2): short wavelengths keep their frequency, long ones are
/// slowed by the factor, and the band between blends smoothly.
/// </summary>
public static class Llama3RopeFactors
{
    /// <summary>Divisors for the <paramref name="ropeDimensions"/>/2 pairs of a head.</summary>
    public static float[] Compute(float freqBase, int ropeDimensions, double factor = 8, double lowFreqFactor = 1, double highFreqFactor = 4, double originalContext = 8192)
    {
        double lowWavelength = originalContext / lowFreqFactor;
        double highWavelength = originalContext / highFreqFactor;
        var result = new float[ropeDimensions / 2];
        for (int i = 0; i < result.Length; i++)
        {
            double frequency = Math.Pow(freqBase, -2.0 * i / ropeDimensions);
            double wavelength = 2 * Math.PI / frequency;
            if (wavelength < highWavelength)
            {
                result[i] = 1;
            }
            else if (wavelength > lowWavelength)
            {
                result[i] = (float)factor;
            }
            else
            {
                double smooth = (originalContext / wavelength - lowFreqFactor) / (highFreqFactor - lowFreqFactor);
                result[i] = (float)(1 / ((1 - smooth) / factor + smooth));
            }
        }
        return result;
    }
}
