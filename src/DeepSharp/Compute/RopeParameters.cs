using DeepSharp.Models;

namespace DeepSharp.Compute;

/// <summary>
/// Everything that fixes a rotary position embedding, in ggml's terms (FACTS.md §3.2, §3.10) so that angles and
/// magnitudes come out as llama.cpp computes them.
/// </summary>
/// <param name="Dimensions">Rotated elements per head (n_rot); the rest of a head passes through.</param>
/// <param name="FreqBase">Base of the frequency ladder.</param>
/// <param name="Neox">True: pairs (i, i + n_rot/2) (qwen2, qwen3); false: adjacent pairs (llama, deepseek2).</param>
/// <param name="FreqScale">Angle multiplier for interpolation: 1 / scaling factor (1 when unscaled).</param>
/// <param name="ExtFactor">YaRN extrapolation mix: 1 with YaRN, 0 otherwise.</param>
/// <param name="AttnFactor">ggml's attn_factor: multiplies cos and sin (before YaRN's own magnitude correction).</param>
/// <param name="OriginalContext">YaRN: pretraining context length.</param>
/// <param name="BetaFast">YaRN β_fast.</param>
/// <param name="BetaSlow">YaRN β_slow.</param>
/// <param name="FreqFactors">Per-pair divisors of the angle (Llama-3.1 <c>rope_freqs.weight</c>), or null.</param>
public sealed record RopeParameters(
    int Dimensions,
    float FreqBase,
    bool Neox,
    float FreqScale = 1,
    float ExtFactor = 0,
    float AttnFactor = 1,
    int OriginalContext = 0,
    float BetaFast = 32,
    float BetaSlow = 1,
    float[]? FreqFactors = null)
{
    /// <summary>
    /// The RoPE of an attention layer of <paramref name="config"/>: linear scaling divides angles by the factor; YaRN
    /// also blends per-pair frequencies and sets the magnitude as llama.cpp does (<see cref="YarnScaling.RopeAttnFactor"/>):
    /// get_mscale(s, 1) = 1 + 0.1·ln s for ordinary models, 1 for DeepSeek's.
    /// </summary>
    public static RopeParameters For(ModelConfig config, float[]? freqFactors)
    {
        var s = config.RopeScaling;
        var p = new RopeParameters(config.RopeDimensionCount, config.RopeFreqBase, config.RopeNeox, FreqFactors: freqFactors);
        return s.Kind switch
        {
            "linear" => p with { FreqScale = 1f / (float)s.Factor },
            "yarn" => p with
            {
                FreqScale = 1f / (float)s.Factor,
                AttnFactor = YarnScaling.RopeAttnFactor(
                    1f / (float)s.Factor, YarnScaling.MScaleAllDim(s.YarnLogMultiplier), config.Architecture == ModelArchitecture.DeepSeek2),
                ExtFactor = 1,
                OriginalContext = s.OriginalContextLength > 0 ? s.OriginalContextLength : config.ContextLength,
                BetaFast = (float)s.YarnBetaFast,
                BetaSlow = (float)s.YarnBetaSlow,
            },
            _ => p,
        };
    }
}
