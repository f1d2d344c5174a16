namespace DeepSharp.Models;

/// <summary>The transformer families DeepSharp runs, named by their GGUF <c>general.architecture</c>.</summary>
public enum ModelArchitecture
{
    /// <summary><c>llama</c>: Llama 3.x and DeepSeek-R1-Distill-Llama.</summary>
    Llama,

    /// <summary><c>qwen2</c>: Qwen2.5 and DeepSeek-R1-Distill-Qwen (q/k/v biases).</summary>
    Qwen2,

    /// <summary><c>qwen3</c>: Qwen3 and DeepSeek-R1-0528-Qwen3 (per-head q/k RMSNorm).</summary>
    Qwen3,

    /// <summary><c>deepseek2</c>: DeepSeek-V2, V2-Lite, V3 and R1 (MLA attention, DeepSeekMoE).</summary>
    DeepSeek2,
}
