namespace DeepSharp.Inference;

/// <summary>One generated token; the last step of a generation also says why it ended.</summary>
/// <param name="Token">The token id.</param>
/// <param name="Finish">Null while generation continues; set on the final step.</param>
public readonly record struct GenerationStep(int Token, FinishReason? Finish);
