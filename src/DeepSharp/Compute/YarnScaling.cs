namespace DeepSharp.Compute;

/// <summary>
/// YaRN's magnitude bookkeeping (FACTS.md §3.10), in float and in the order llama.cpp evaluates it, so the
/// rotation magnitude and DeepSeek's softmax scale come out bit-for-bit as llama.cpp's.
/// </summary>
/// <remarks>
/// DeepSeek's rule: the softmax scale is <c>hk^−½ · mscale(s, mscale_all_dim)²</c> and the rotation itself has
/// magnitude <c>mscale(s, mscale) / mscale(s, mscale_all_dim)</c> = 1. llama.cpp reaches this through ggml's RoPE,
/// which always multiplies by <c>1 + 0.1·ln s</c> under YaRN, so the attn_factor handed to RoPE cancels that again.
/// </remarks>
public static class YarnScaling
{
    /// <summary><c>get_mscale(s, m)</c>: 1 when <paramref name="factor"/> ≤ 1, else <c>0.1·m·ln s + 1</c>.</summary>
    public static float MScale(float factor, float m) => factor <= 1 ? 1 : 0.1f * m * MathF.Log(factor) + 1;

    /// <summary>
    /// The attn_factor RoPE multiplies cos and sin by (llama.cpp's <c>cparams.yarn_attn_factor</c>) under YaRN with
    /// frequency scale <paramref name="freqScale"/> (1 / factor) and <paramref name="mscaleAllDim"/> (GGUF
    /// <c>yarn_log_multiplier</c> / 0.1; 0 when absent). DeepSeek files take mscale = mscale_all_dim unless that is 1.
    /// </summary>
    public static float RopeAttnFactor(float freqScale, float mscaleAllDim, bool deepSeek)
    {
        float factor = 1f / freqScale;
        float attnFactor;
        if (mscaleAllDim != 0)
        {
            float mscale = deepSeek && mscaleAllDim != 1 ? mscaleAllDim : 1;
            attnFactor = MScale(factor, mscale) / MScale(factor, mscaleAllDim);
        }
        else
        {
            attnFactor = MScale(factor, 1);
        }
        // ggml's RoPE multiplies by 1 + 0.1·ln(factor) whenever YaRN is on; cancel it.
        return attnFactor * (1f / (1f + 0.1f * MathF.Log(factor)));
    }

    /// <summary>
    /// DeepSeek's softmax scale for query/key heads of <paramref name="headDim"/> (nope + rope): llama.cpp first undoes
    /// the cancellation in <paramref name="ropeAttnFactor"/>, then squares <c>1 + 0.1·mscale_all_dim·ln(1/freqScale)</c>.
    /// Without YaRN pass freqScale 1 and attn factor 1, which gives 1/√headDim.
    /// </summary>
    public static float MlaSoftmaxScale(float freqScale, float ropeAttnFactor, float mscaleAllDim, int headDim)
    {
        float original = ropeAttnFactor * (1f + 0.1f * MathF.Log(1f / freqScale));
        float mscale = original * (1f + 0.1f * mscaleAllDim * MathF.Log(1f / freqScale));
        return mscale * mscale / MathF.Sqrt(headDim);
    }

    /// <summary>mscale_all_dim from the GGUF <c>yarn_log_multiplier</c>, which the converter stores as 0.1 × mscale_all_dim.</summary>
    public static float MScaleAllDim(double yarnLogMultiplier) => (float)yarnLogMultiplier / 0.1f;
}
