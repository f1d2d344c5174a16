namespace DeepSharp.Chat;

/// <summary>A model reply split by <see cref="ToolCallParser"/>: its plain text and the function calls it made.</summary>
/// <param name="Content">The reply's text outside the tool-call markup, trimmed; empty when there is none.</param>
/// <param name="ToolCalls">The calls in order; empty when the reply calls nothing.</param>
public sealed record ToolCallParseResult(string Content, IReadOnlyList<ChatToolCall> ToolCalls);
