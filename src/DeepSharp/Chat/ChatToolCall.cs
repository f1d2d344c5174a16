namespace DeepSharp.Chat;

/// <summary>One function call made by the assistant, as in the OpenAI chat format.</summary>
/// <param name="Name">The function's name.</param>
/// <param name="Arguments">The arguments as JSON text, for example <c>{"city": "Paris"}</c>.</param>
public sealed record ChatToolCall(string Name, string Arguments)
{
    /// <summary>The call's id (<c>call_...</c>), which the tool result message refers to; optional.</summary>
    public string? Id { get; init; }

    /// <summary>The call's type; always <c>function</c> in today's APIs.</summary>
    public string Type { get; init; } = "function";
}
