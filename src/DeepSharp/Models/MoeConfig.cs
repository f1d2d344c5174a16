namespace DeepSharp.Models;

/// <summary>DeepSeekMoE hyperparameters (FACTS.md §3.9).</summary>
/// <param name="ExpertCount">Routed experts per MoE layer.</param>
/// <param name="ExpertsPerToken">Experts each token is routed to.</param>
/// <param name="SharedExpertCount">Shared experts, fused into one MLP of width SharedExpertCount × ExpertFeedForwardLength.</param>
/// <param name="ExpertFeedForwardLength">Hidden width of one expert.</param>
/// <param name="LeadingDenseLayers">Layers before the first MoE layer, which use a dense FFN.</param>
/// <param name="Gating">Softmax or sigmoid scores.</param>
/// <param name="NormalizeTopK">Whether the selected weights are renormalised to sum to one.</param>
/// <param name="WeightsScale">Routed scaling factor applied to the selected weights.</param>
/// <param name="GroupCount">Expert groups for group-limited routing (1 = no groups).</param>
/// <param name="GroupsUsed">Groups kept per token.</param>
public sealed record MoeConfig(
    int ExpertCount,
    int ExpertsPerToken,
    int SharedExpertCount,
    int ExpertFeedForwardLength,
    int LeadingDenseLayers,
    ExpertGating Gating,
    bool NormalizeTopK,
    float WeightsScale,
    int GroupCount,
    int GroupsUsed);
