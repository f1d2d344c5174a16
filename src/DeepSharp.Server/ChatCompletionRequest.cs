using System.Text.Json;
using System.Text.Json.Nodes;
using DeepSharp.Chat;

namespace DeepSharp.Server;

/// <summary>A validated <c>POST /v1/chat/completions</c> body.</summary>
internal sealed record ChatCompletionRequest
{
    public required GenerationRequest Generation { get; init; }

    public required IReadOnlyList<ChatMessage> Messages { get; init; }

    /// <summary>Whether the model should reason first.</summary>
    public required bool Thinking { get; init; }

    /// <summary><c>response_format: {"type": "json_object"}</c>.</summary>
    public required bool JsonMode { get; init; }

    /// <summary>Function definitions for the template (<c>tools</c>), null when none are offered or <c>tool_choice</c> is <c>none</c>.</summary>
    public IReadOnlyList<JsonNode>? Tools { get; init; }

    /// <summary>Reads and validates a chat request.</summary>
    /// <exception cref="ApiException">The request is invalid.</exception>
    public static ChatCompletionRequest Read(JsonElement root, ServedModel model, int maxMessages)
    {
        var generation = GenerationRequest.Read(root, model);
        var messages = ReadMessages(root, maxMessages);
        bool jsonMode = ReadResponseFormat(root);
        bool thinking = ReadThinking(root) ?? generation.ModelThinks;
        return new ChatCompletionRequest
        {
            Generation = generation,
            Messages = messages,
            // JSON mode constrains the reply from its first token, so there is no room for free-form reasoning.
            Thinking = thinking && !jsonMode,
            JsonMode = jsonMode,
            Tools = ReadTools(root),
        };
    }

    private static List<ChatMessage> ReadMessages(JsonElement root, int maxMessages)
    {
        if (JsonFields.Array(root, "messages") is not JsonElement array)
        {
            throw ApiException.Missing("messages");
        }
        int count = array.GetArrayLength();
        if (count == 0)
        {
            throw ApiException.BadParam("messages", "'messages' must hold at least one message");
        }
        if (count > maxMessages)
        {
            throw ApiException.BadParam("messages", $"'messages' holds {count} messages; at most {maxMessages} are allowed");
        }
        var messages = new List<ChatMessage>(count);
        int index = 0;
        foreach (var item in array.EnumerateArray())
        {
            messages.Add(ReadMessage(item, $"messages[{index++}]"));
        }
        return messages;
    }

    private static ChatMessage ReadMessage(JsonElement item, string path)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw JsonFields.WrongType(path, "an object");
        }
        string role = JsonFields.String(item, "role", $"{path}.role") ?? throw ApiException.Missing($"{path}.role");
        string? content = JsonFields.TextContent(item, "content", $"{path}.content", "only text content parts are supported");
        switch (role)
        {
            case "system" or "developer":
                return ChatMessage.System(content ?? "");
            case "user":
                return ChatMessage.User(content ?? throw ApiException.Missing($"{path}.content"));
            case "assistant":
                // An earlier turn's reasoning_content is accepted and left out: templates drop past reasoning anyway.
                var calls = ReadToolCalls(item, $"{path}.tool_calls");
                if (content is null && calls is null)
                {
                    throw ApiException.Missing($"{path}.content");
                }
                return ChatMessage.Assistant(content) with { ToolCalls = calls };
            case "tool":
                return ChatMessage.Tool(content ?? "", JsonFields.String(item, "tool_call_id", $"{path}.tool_call_id")) with
                {
                    Name = JsonFields.String(item, "name", $"{path}.name"),
                };
            default:
                throw ApiException.BadParam($"{path}.role", $"'{role}' is not a role; use system, user, assistant or tool");
        }
    }

    private static List<ChatToolCall>? ReadToolCalls(JsonElement item, string param)
    {
        if (JsonFields.Array(item, "tool_calls", param) is not JsonElement array)
        {
            return null;
        }
        var calls = new List<ChatToolCall>();
        foreach (var call in array.EnumerateArray())
        {
            var function = call.ValueKind == JsonValueKind.Object ? JsonFields.Object(call, "function", $"{param}.function") : null;
            if (function is not JsonElement f || JsonFields.String(f, "name", $"{param}.function.name") is not { Length: > 0 } name)
            {
                throw ApiException.BadParam(param, $"each of '{param}' needs function.name");
            }
            string arguments = JsonFields.Get(f, "arguments") is JsonElement args
                ? args.ValueKind == JsonValueKind.String ? args.GetString()! : args.GetRawText()
                : "{}";
            calls.Add(new ChatToolCall(name, arguments) { Id = JsonFields.String(call, "id", $"{param}.id") });
        }
        return calls;
    }

    private static bool ReadResponseFormat(JsonElement root)
    {
        if (JsonFields.Object(root, "response_format") is not JsonElement format)
        {
            return false;
        }
        return JsonFields.String(format, "type", "response_format.type") switch
        {
            null or "text" => false,
            "json_object" => true,
            string other => throw ApiException.BadParam("response_format.type", $"response_format type '{other}' is not supported; use 'text' or 'json_object'"),
        };
    }

    /// <summary>
    /// The request's own thinking switch: <c>thinking</c> as a boolean or DeepSeek's <c>{"type": "enabled"|"disabled"}</c>,
    /// or <c>chat_template_kwargs.enable_thinking</c>; null when it has none.
    /// </summary>
    private static bool? ReadThinking(JsonElement root)
    {
        if (JsonFields.Get(root, "thinking") is JsonElement thinking)
        {
            if (thinking.ValueKind is JsonValueKind.True or JsonValueKind.False)
            {
                return thinking.GetBoolean();
            }
            if (thinking.ValueKind == JsonValueKind.Object)
            {
                return JsonFields.String(thinking, "type", "thinking.type") switch
                {
                    "enabled" => true,
                    "disabled" => false,
                    _ => throw ApiException.BadParam("thinking.type", "'thinking.type' must be 'enabled' or 'disabled'"),
                };
            }
            throw JsonFields.WrongType("thinking", "a boolean or an object");
        }
        if (JsonFields.Object(root, "chat_template_kwargs") is JsonElement kwargs)
        {
            return JsonFields.Bool(kwargs, "enable_thinking", "chat_template_kwargs.enable_thinking")
                ?? JsonFields.Bool(kwargs, "thinking", "chat_template_kwargs.thinking");
        }
        return null;
    }

    private static List<JsonNode>? ReadTools(JsonElement root)
    {
        if (JsonFields.Array(root, "tools") is not JsonElement array || array.GetArrayLength() == 0)
        {
            return null;
        }
        if (JsonFields.Get(root, "tool_choice") is JsonElement choice && choice.ValueKind == JsonValueKind.String && choice.GetString() == "none")
        {
            return null;
        }
        var tools = new List<JsonNode>();
        int index = 0;
        foreach (var tool in array.EnumerateArray())
        {
            string param = $"tools[{index++}]";
            if (tool.ValueKind != JsonValueKind.Object || JsonFields.String(tool, "type", $"{param}.type") != "function"
                || JsonFields.Object(tool, "function", $"{param}.function") is not JsonElement function
                || JsonFields.String(function, "name", $"{param}.function.name") is not { Length: > 0 })
            {
                throw ApiException.BadParam(param, $"'{param}' must be {{\"type\": \"function\", \"function\": {{\"name\": ...}}}}");
            }
            tools.Add(JsonNode.Parse(tool.GetRawText())!);
        }
        return tools;
    }
}
