namespace DeepSharp.Chat;

/// <summary>A run of generated text and the stream it belongs to; never empty.</summary>
/// <param name="Kind">Reasoning or answer content.</param>
/// <param name="Text">The text, with the think tags removed.</param>
public readonly record struct ReasoningDelta(ReasoningDeltaKind Kind, string Text);
