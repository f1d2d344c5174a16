namespace DeepSharp.Models;

/// <summary>
/// RoPE frequency scaling. <see cref="Kind"/> "none", "linear", "yarn" or "llama3"; the other fields apply to the
/// kinds that use them (FACTS.md §3.2 and §3.10).
/// </summary>
/// <param name="Kind">Scaling kind.</param>
/// <param name="Factor">Context extension factor s (1 when unscaled).</param>
/// <param name="OriginalContextLength">Context length the model was pretrained with.</param>
/// <param name="YarnBetaFast">YaRN β_fast.</param>
/// <param name="YarnBetaSlow">YaRN β_slow.</param>
/// <param name="YarnLogMultiplier">GGUF <c>yarn_log_multiplier</c>: 0.1 × DeepSeek's mscale_all_dim.</param>
public sealed record RopeScaling(
    string Kind,
    double Factor,
    int OriginalContextLength,
    double YarnBetaFast = 32,
    double YarnBetaSlow = 1,
    double YarnLogMultiplier = 0)
{
    /// <summary>No scaling.</summary>
    public static RopeScaling None { get; } = new("none", 1, 0);
}
