using System.Text.Json.Nodes;
using DeepSharp.Chat;

namespace DeepSharp.Tests.Chat;

/// <summary>A conversation to render: transformers-style variables written as JSON.</summary>
public sealed record ChatScenario(string Name, JsonObject Variables)
{
    public override string ToString() => Name;
}

/// <summary>
/// The conversations every template is rendered with. They are plain JSON in the shape transformers passes to a
/// template; the reference renderer gets that JSON as it is, and <see cref="ToContext"/> maps it onto the
/// public <see cref="ChatTemplateContext"/> API, so the comparison also covers how the API builds template
/// variables (which keys a message has, null versus missing, argument objects versus text).
/// </summary>
public static class ChatScenarios
{
    private const string System = "You are a helpful assistant.";

    public static IReadOnlyList<ChatScenario> For(TemplateProfile profile)
    {
        var list = new List<ChatScenario>
        {
            New("system_user", true, Msg("system", System), Msg("user", "Hello!")),
            New("user_only", true, Msg("user", "What is 2+2?")),
            New("user_only_no_prompt", false, Msg("user", "What is 2+2?")),
            New("multi_turn", true,
                Msg("system", System), Msg("user", "Hi"), Msg("assistant", "Hello! How can I help?"), Msg("user", "Tell me a joke.")),
            New("ends_with_assistant", false,
                Msg("user", "Hi"), Msg("assistant", "Hello!"), Msg("user", "Bye"), Msg("assistant", "Goodbye!")),
            New("reasoning_in_history", true,
                Msg("user", "What is 2+2?"), Msg("assistant", "<think>\nTwo plus two is four.\n</think>\n\n2+2 = 4."), Msg("user", "And 3+3?")),
            New("reasoning_last_turn", false,
                Msg("user", "What is 2+2?"), Msg("assistant", "<think>\nTwo plus two is four.\n</think>\n\n2+2 = 4.")),
            New("reasoning_content_field", true,
                Msg("user", "What is 2+2?"), Msg("assistant", "2+2 = 4.", ("reasoning_content", "Adding two and two.")), Msg("user", "Thanks")),
            New("special_characters", true,
                Msg("system", "Answer in \"quotes\" \\ back\\slash"), Msg("user", "Ünïcödé 你好 🙂 tab\there\nnew line {{ not a tag }} {% nor this %}")),
            New("two_system_messages", true, Msg("system", "First rule."), Msg("system", "Second rule."), Msg("user", "Go")),
        };

        if (profile.ThinkingVariable is { } thinking)
        {
            list.Add(New("thinking_on", true, Msg("user", "Think hard: 17*23?")).With(thinking, true));
            list.Add(New("thinking_off", true, Msg("user", "Answer fast: 17*23?")).With(thinking, false));
        }

        if (profile.SupportsTools)
        {
            list.Add(New("tools_defined", true, Msg("user", "What's the weather in Paris?")).WithTools());
            list.Add(New("tool_call_and_result", true,
                Msg("system", System),
                Msg("user", "What's the weather in Paris?"),
                ToolCalls(profile, ("get_weather", """{"city": "Paris", "unit": "celsius"}""")),
                Msg("tool", """{"temperature": 21, "sky": "clear"}""", ("tool_call_id", "call_0"))).WithTools());
            list.Add(New("tool_exchange_answered", false,
                Msg("user", "What's the weather in Paris?"),
                ToolCalls(profile, ("get_weather", """{"city": "Paris"}""")),
                Msg("tool", "21 degrees", ("tool_call_id", "call_0")),
                Msg("assistant", "It is 21 °C in Paris.")).WithTools());
            list.Add(New("two_tool_calls", true,
                Msg("user", "Weather in Paris and Rome?"),
                ToolCalls(profile, ("get_weather", """{"city": "Paris"}"""), ("get_weather", """{"city": "Rome"}""")),
                Msg("tool", "21 degrees", ("tool_call_id", "call_0")),
                Msg("tool", "25 degrees", ("tool_call_id", "call_1"))).WithTools());
        }
        return list;
    }

    private static ChatScenario New(string name, bool addGenerationPrompt, params JsonObject[] messages) =>
        new(name, new JsonObject
        {
            ["messages"] = new JsonArray([.. messages]),
            ["add_generation_prompt"] = addGenerationPrompt,
        });

    private static ChatScenario With(this ChatScenario s, string name, JsonNode value)
    {
        s.Variables[name] = value;
        return s;
    }

    private static ChatScenario WithTools(this ChatScenario s) => s.With("tools", JsonNode.Parse("""
        [
          {"type": "function", "function": {"name": "get_weather", "description": "Current weather in a city",
            "parameters": {"type": "object", "properties": {
              "city": {"type": "string", "description": "City name, e.g. Paris"},
              "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]}},
              "required": ["city"]}}},
          {"type": "function", "function": {"name": "search", "description": "Search the web",
            "parameters": {"type": "object", "properties": {"query": {"type": "string"}}, "required": ["query"]}}}
        ]
        """)!);

    private static JsonObject Msg(string role, string? content, params (string Key, string Value)[] extra)
    {
        var m = new JsonObject { ["role"] = role, ["content"] = content };
        foreach (var (k, v) in extra)
        {
            m[k] = v;
        }
        return m;
    }

    private static JsonObject ToolCalls(TemplateProfile profile, params (string Name, string Arguments)[] calls)
    {
        var list = new JsonArray();
        for (int i = 0; i < calls.Length; i++)
        {
            list.Add(new JsonObject
            {
                ["id"] = $"call_{i}",
                ["type"] = "function",
                ["function"] = new JsonObject
                {
                    ["name"] = calls[i].Name,
                    ["arguments"] = profile.ObjectArguments ? JsonNode.Parse(calls[i].Arguments) : calls[i].Arguments,
                },
            });
        }
        return new JsonObject
        {
            ["role"] = "assistant",
            ["content"] = profile.EmptyToolCallContent ? "" : null,
            ["tool_calls"] = list,
        };
    }

    /// <summary>The variables as the reference renderer receives them (transformers' conventions).</summary>
    public static string OracleVariables(TemplateCase template, ChatScenario scenario)
    {
        var v = scenario.Variables.DeepClone().AsObject();
        if (!v.ContainsKey("tools"))
        {
            v["tools"] = null;
        }
        if (template.BosToken is not null)
        {
            v["bos_token"] = template.BosToken;
        }
        if (template.EosToken is not null)
        {
            v["eos_token"] = template.EosToken;
        }
        return v.ToJsonString();
    }

    /// <summary>The same scenario expressed through the public API.</summary>
    public static ChatTemplateContext ToContext(TemplateCase template, ChatScenario scenario)
    {
        var vars = scenario.Variables;
        bool objectArguments = false;
        var messages = new List<ChatMessage>();
        foreach (var node in vars["messages"]!.AsArray())
        {
            var m = node!.AsObject();
            List<ChatToolCall>? calls = null;
            if (m["tool_calls"] is JsonArray array)
            {
                calls = [];
                foreach (var c in array)
                {
                    var function = c!["function"]!;
                    var args = function["arguments"]!;
                    objectArguments |= args is JsonObject;
                    calls.Add(new ChatToolCall(function["name"]!.GetValue<string>(), args is JsonObject ? args.ToJsonString() : args.GetValue<string>())
                    {
                        Id = c["id"]?.GetValue<string>(),
                        Type = c["type"]!.GetValue<string>(),
                    });
                }
            }
            messages.Add(new ChatMessage(m["role"]!.GetValue<string>(), m["content"]?.GetValue<string>())
            {
                ReasoningContent = m["reasoning_content"]?.GetValue<string>(),
                ToolCalls = calls,
                ToolCallId = m["tool_call_id"]?.GetValue<string>(),
                Name = m["name"]?.GetValue<string>(),
            });
        }

        var extra = new Dictionary<string, object?>();
        foreach (var (k, v) in vars)
        {
            if (k is not ("messages" or "tools" or "add_generation_prompt"))
            {
                extra[k] = v?.DeepClone();
            }
        }

        return new ChatTemplateContext
        {
            Messages = messages,
            Tools = vars["tools"] is JsonArray tools ? [.. tools.Select(t => t!.DeepClone())] : null,
            AddGenerationPrompt = vars["add_generation_prompt"]!.GetValue<bool>(),
            BosToken = template.BosToken,
            EosToken = template.EosToken,
            ToolArgumentsAsObjects = objectArguments,
            Variables = extra,
        };
    }
}
