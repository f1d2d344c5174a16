using DeepSharp.Inference.Sampling;

namespace DeepSharp.Inference;

/// <summary>What a generation produces and when it stops.</summary>
public sealed record GenerationOptions
{
    /// <summary>New tokens at most.</summary>
    public int MaxTokens { get; init; } = 256;

    /// <summary>Tokens that end generation (end of sequence, end of turn).</summary>
    public IReadOnlySet<int> StopTokens { get; init; } = new HashSet<int>();

    /// <summary>Strings that end generation once the generated text contains one; needs <see cref="TokenBytes"/>.</summary>
    public IReadOnlyList<string> StopStrings { get; init; } = [];

    /// <summary>Decodes tokens to bytes for <see cref="StopStrings"/>.</summary>
    public TokenBytes? TokenBytes { get; init; }

    /// <summary>How tokens are picked.</summary>
    public SamplingOptions Sampling { get; init; } = new();
}
