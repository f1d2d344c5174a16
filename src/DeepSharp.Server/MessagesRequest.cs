using System.Text.Json;
using DeepSharp.Chat;
using DeepSharp.Engine;
using DeepSharp.Inference.Sampling;

namespace DeepSharp.Server;

/// <summary>A validated <c>POST /v1/messages</c> body (Anthropic's Messages API; text and thinking, no tools).</summary>
internal sealed record MessagesRequest
{
    public required string Model { get; init; }

    public required bool Stream { get; init; }

    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    public required ChatRequestOptions Options { get; init; }

    /// <summary>Reads and validates a Messages request.</summary>
    /// <exception cref="ApiException">The request is invalid.</exception>
    public static MessagesRequest Read(JsonElement root, ServedModel model, int maxMessages)
    {
        string? name = JsonFields.String(root, "model");
        bool thinking = model.Resolve(name);
        int maxTokens = (int)(JsonFields.Integer(root, "max_tokens", 1, model.MaxTokensLimit) ?? throw ApiException.Missing("max_tokens"));
        if (JsonFields.Get(root, "tools") is not null)
        {
            throw ApiException.BadParam("tools", "tools are not supported on /v1/messages; use /v1/chat/completions");
        }
        int? budget = null;
        if (JsonFields.Object(root, "thinking") is JsonElement config)
        {
            switch (JsonFields.String(config, "type", "thinking.type"))
            {
                case "enabled":
                    thinking = true;
                    budget = (int?)JsonFields.Integer(config, "budget_tokens", 1, int.MaxValue, "thinking.budget_tokens");
                    break;
                case "disabled":
                    thinking = false;
                    break;
                default:
                    throw ApiException.BadParam("thinking.type", "'thinking.type' must be 'enabled' or 'disabled'");
            }
        }
        var messages = new List<ChatMessage>();
        if (ReadText(root, "system", "system") is string system)
        {
            messages.Add(ChatMessage.System(system));
        }
        messages.AddRange(ReadMessages(root, maxMessages));
        return new MessagesRequest
        {
            Model = name ?? model.Id,
            Stream = JsonFields.Bool(root, "stream") ?? false,
            Messages = messages,
            Options = new ChatRequestOptions
            {
                MaxTokens = maxTokens,
                Thinking = thinking,
                ReasoningBudget = budget,
                StopStrings = ReadStopSequences(root),
                Sampling = new SamplingOptions
                {
                    Temperature = (float)(JsonFields.Number(root, "temperature", 0, 1) ?? 1),
                    TopP = (float)(JsonFields.Number(root, "top_p", 0, 1) ?? 1),
                    TopK = (int)(JsonFields.Integer(root, "top_k", 0, int.MaxValue) ?? 0),
                    MinP = 0,
                    Seed = (ulong)Random.Shared.NextInt64(),
                },
            },
        };
    }

    private static List<ChatMessage> ReadMessages(JsonElement root, int maxMessages)
    {
        var array = JsonFields.Array(root, "messages") ?? throw ApiException.Missing("messages");
        int count = array.GetArrayLength();
        if (count == 0 || count > maxMessages)
        {
            throw ApiException.BadParam("messages", $"'messages' must hold from 1 to {maxMessages} messages, not {count}");
        }
        var messages = new List<ChatMessage>(count);
        int index = 0;
        foreach (var item in array.EnumerateArray())
        {
            string path = $"messages[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                throw JsonFields.WrongType(path, "an object");
            }
            string text = ReadText(item, "content", $"{path}.content") ?? throw ApiException.Missing($"{path}.content");
            messages.Add(JsonFields.String(item, "role", $"{path}.role") switch
            {
                "user" => ChatMessage.User(text),
                "assistant" => ChatMessage.Assistant(text),
                _ => throw ApiException.BadParam($"{path}.role", $"'{path}.role' must be 'user' or 'assistant'"),
            });
        }
        return messages;
    }

    /// <summary>A string, or the text of an array of content blocks (earlier thinking blocks are dropped).</summary>
    private static string? ReadText(JsonElement obj, string name, string param) =>
        JsonFields.TextContent(obj, name, param, "only text (and past thinking) content blocks are supported", "thinking", "redacted_thinking");

    private static IReadOnlyList<string> ReadStopSequences(JsonElement root) =>
        JsonFields.Array(root, "stop_sequences") is JsonElement array ? JsonFields.NonEmptyStrings(array, "stop_sequences", GenerationRequest.MaxStopStrings) : [];
}
