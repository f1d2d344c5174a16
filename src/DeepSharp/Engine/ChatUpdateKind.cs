namespace DeepSharp.Engine;

/// <summary>What a <see cref="ChatUpdate"/> carries.</summary>
public enum ChatUpdateKind
{
    /// <summary>Text of the model's reasoning (inside its think block).</summary>
    Reasoning,

    /// <summary>Text of the answer.</summary>
    Content,

    /// <summary>The end of the reply: <see cref="ChatUpdate.Usage"/> and <see cref="ChatUpdate.FinishReason"/> are set.</summary>
    Finished,
}
