namespace DeepSharp.Chat;

/// <summary>Where a <see cref="ReasoningParser"/> is in the generated text.</summary>
public enum ReasoningPhase
{
    /// <summary>Nothing but whitespace (or part of the start tag) has arrived; it is not yet known whether the model thinks.</summary>
    AwaitingStart,

    /// <summary>Inside the think block.</summary>
    Reasoning,

    /// <summary>After the think block, or in a reply that has none: everything further is content.</summary>
    Content,
}
