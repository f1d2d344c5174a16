namespace DeepSharp.Chat;

/// <summary>
/// One message of a conversation as chat templates see it: <c>role</c>, <c>content</c> and the optional fields
/// of the OpenAI format. Optional fields that are null are left out of the template's message object, so that
/// templates testing <c>'tool_calls' in message</c> or <c>message.reasoning_content is defined</c> work.
/// </summary>
/// <param name="Role"><c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c> (templates may accept others).</param>
/// <param name="Content">The text; null for an assistant message that only calls tools (templates see <c>none</c>).</param>
public sealed record ChatMessage(string Role, string? Content)
{
    /// <summary>The assistant's reasoning, kept apart from <see cref="Content"/> (template field <c>reasoning_content</c>).</summary>
    public string? ReasoningContent { get; init; }

    /// <summary>Tool calls made by an assistant message (template field <c>tool_calls</c>).</summary>
    public IReadOnlyList<ChatToolCall>? ToolCalls { get; init; }

    /// <summary>For a <c>tool</c> message: the id of the call it answers (template field <c>tool_call_id</c>).</summary>
    public string? ToolCallId { get; init; }

    /// <summary>For a <c>tool</c> message: the function's name (template field <c>name</c>).</summary>
    public string? Name { get; init; }

    /// <summary>
    /// Further fields some templates read, such as DeepSeek-V3.1's <c>prefix</c>; values may be strings, numbers,
    /// booleans, JSON nodes or collections.
    /// </summary>
    public IReadOnlyDictionary<string, object?>? Extra { get; init; }

    /// <summary>A system message.</summary>
    public static ChatMessage System(string content) => new("system", content);

    /// <summary>A user message.</summary>
    public static ChatMessage User(string content) => new("user", content);

    /// <summary>An assistant message.</summary>
    public static ChatMessage Assistant(string? content) => new("assistant", content);

    /// <summary>A tool result message.</summary>
    public static ChatMessage Tool(string content, string? toolCallId = null) => new("tool", content) { ToolCallId = toolCallId };
}
