using DeepSharp.Compute;

namespace DeepSharp.Tests.Compute;

/// <summary>DeepSeek's YaRN softmax scale and rotation magnitude against the values worked out in FACTS.md §3.10.</summary>
public sealed class YarnScalingTests
{
    [Theory]
    [InlineData(0.1, 0.13523378)] // V3/R1: mscale_all_dim 1, hk 192
    [InlineData(0.0707, 0.11472139)] // V2-Lite: mscale_all_dim 0.707
    public void DeepSeekSoftmaxScale(double yarnLogMultiplier, double expected)
    {
        float freqScale = 1f / 40;
        float mAll = YarnScaling.MScaleAllDim(yarnLogMultiplier);
        float attnFactor = YarnScaling.RopeAttnFactor(freqScale, mAll, deepSeek: true);
        Assert.Equal(expected, YarnScaling.MlaSoftmaxScale(freqScale, attnFactor, mAll, 192), 1e-7);
        // ggml multiplies the rotation by attn_factor · (1 + 0.1 ln s): DeepSeek's rotation is pure.
        Assert.Equal(1.0, attnFactor * (1 + 0.1 * Math.Log(40)), 1e-6);
    }

    [Fact]
    public void OrdinaryYarnKeepsItsMagnitudeAndUnscaledMlaKeepsTheUsualScale()
    {
        // Without a log multiplier the rotation keeps get_mscale(s, 1) = 1 + 0.1 ln s (Qwen3 with s = 4: 1.1386).
        float attnFactor = YarnScaling.RopeAttnFactor(0.25f, 0, deepSeek: false);
        Assert.Equal(1.1386, attnFactor * (1 + 0.1 * Math.Log(4)), 1e-4);
        Assert.Equal(1 / Math.Sqrt(192), YarnScaling.MlaSoftmaxScale(1, 1, 0, 192), 1e-8);
    }
}
