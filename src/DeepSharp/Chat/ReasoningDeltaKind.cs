namespace DeepSharp.Chat;

/// <summary>Which stream a piece of generated text belongs to.</summary>
public enum ReasoningDeltaKind
{
    /// <summary>The model's thinking, between <c>&lt;think&gt;</c> and <c>&lt;/think&gt;</c> (OpenAI-style <c>reasoning_content</c>).</summary>
    Reasoning,

    /// <summary>The answer (<c>content</c>).</summary>
    Content,
}
