using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeepSharp.Chat.Templates;

/// <summary>Builds the template's global variables from a <see cref="ChatTemplateContext"/>.</summary>
internal static class ContextVariables
{
    public static Scope Build(ChatTemplateContext context)
    {
        var scope = new Scope(null);
        Globals.AddTo(scope);
        scope.Set("messages", context.Messages.Select(m => (object?)Message(m, context.ToolArgumentsAsObjects)).ToList());
        scope.Set("tools", context.Tools is null ? null : context.Tools.Select(t => ValueConverter.FromJson(t)).ToList());
        scope.Set("add_generation_prompt", context.AddGenerationPrompt);
        if (context.BosToken is not null)
        {
            scope.Set("bos_token", context.BosToken);
        }
        if (context.EosToken is not null)
        {
            scope.Set("eos_token", context.EosToken);
        }
        foreach (var (name, value) in context.Variables ?? new Dictionary<string, object?>())
        {
            scope.Set(name, ValueConverter.FromClr(value));
        }
        return scope;
    }

    private static OrderedDictionary<string, object?> Message(ChatMessage m, bool argumentsAsObjects)
    {
        var d = new OrderedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["role"] = m.Role,
            ["content"] = m.Content,
        };
        if (m.ReasoningContent is not null)
        {
            d["reasoning_content"] = m.ReasoningContent;
        }
        if (m.ToolCalls is not null)
        {
            d["tool_calls"] = m.ToolCalls.Select(c => (object?)ToolCall(c, argumentsAsObjects)).ToList();
        }
        if (m.ToolCallId is not null)
        {
            d["tool_call_id"] = m.ToolCallId;
        }
        if (m.Name is not null)
        {
            d["name"] = m.Name;
        }
        foreach (var (k, v) in m.Extra ?? new Dictionary<string, object?>())
        {
            d[k] = ValueConverter.FromClr(v);
        }
        return d;
    }

    private static OrderedDictionary<string, object?> ToolCall(ChatToolCall call, bool argumentsAsObjects)
    {
        var d = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        if (call.Id is not null)
        {
            d["id"] = call.Id;
        }
        d["type"] = call.Type;
        d["function"] = new OrderedDictionary<string, object?>(StringComparer.Ordinal)
        {
            ["name"] = call.Name,
            ["arguments"] = argumentsAsObjects ? ParseArguments(call.Arguments) : call.Arguments,
        };
        return d;
    }

    private static object? ParseArguments(string json)
    {
        try
        {
            return ValueConverter.FromJson(JsonNode.Parse(json));
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
