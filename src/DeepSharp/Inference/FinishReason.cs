namespace DeepSharp.Inference;

/// <summary>Why generation ended.</summary>
public enum FinishReason
{
    /// <summary>The maximum number of new tokens was reached.</summary>
    Length,

    /// <summary>A stop token (end of sequence, end of turn) was produced; it is the final step's token.</summary>
    StopToken,

    /// <summary>The generated text now contains a stop string; the final step's token completed it.</summary>
    StopString,

    /// <summary>The session's context is full.</summary>
    ContextFull,
}
