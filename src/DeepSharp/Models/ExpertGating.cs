namespace DeepSharp.Models;

/// <summary>How a DeepSeekMoE router turns logits into expert scores (GGUF <c>expert_gating_func</c>).</summary>
public enum ExpertGating
{
    /// <summary>Softmax over all experts (DeepSeek-V2, V2-Lite); GGUF value 1 (and 0).</summary>
    Softmax = 1,

    /// <summary>Independent sigmoid per expert (DeepSeek-V3, R1); GGUF value 2.</summary>
    Sigmoid = 2,
}
