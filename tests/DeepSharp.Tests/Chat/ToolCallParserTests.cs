using System.Text.Json.Nodes;
using DeepSharp.Chat;

namespace DeepSharp.Tests.Chat;

/// <summary>
/// Tool calls written in each model family's own markup, produced by rendering an assistant turn with the real
/// chat templates (the format's authority), must come back as the calls that were rendered.
/// </summary>
public sealed class ToolCallParserTests
{
    private static readonly (string Name, string Arguments)[] s_calls =
    [
        ("get_weather", """{"city": "Paris", "unit": "celsius"}"""),
        ("add", """{"a": 12, "b": [3, 4], "note": "x\"y}"}"""),
    ];

    /// <summary>Templates whose tool-call markup is DeepSeek's or Qwen's.</summary>
    public static TheoryData<string> Templates => ["deepseek-v3", "deepseek-v3.1", "deepseek-r1-distill-qwen", "llama-cpp-deepseek-r1", "qwen2.5", "qwen3"];

    [Theory]
    [MemberData(nameof(Templates))]
    public void CallsRenderedByTheTemplateParseBack(string templateId)
    {
        var template = TemplateCatalog.Get(templateId);
        string rendered = ChatTemplate.Parse(template.Source).Render(new ChatTemplateContext
        {
            Messages =
            [
                ChatMessage.User("Weather in Paris, and 12 + 3 + 4?"),
                ChatMessage.Assistant(template.Profile.EmptyToolCallContent ? "" : null) with
                {
                    ToolCalls = [.. s_calls.Select((c, i) => new ChatToolCall(c.Name, c.Arguments) { Id = $"call_{i}" })],
                },
            ],
            ToolArgumentsAsObjects = template.Profile.ObjectArguments,
            BosToken = template.BosToken,
            EosToken = template.EosToken,
        });
        var reply = rendered[rendered.IndexOf("12 + 3 + 4?", StringComparison.Ordinal)..];

        var result = ToolCallParser.Parse(reply);

        Assert.Equal(s_calls.Length, result.ToolCalls.Count);
        for (int i = 0; i < s_calls.Length; i++)
        {
            Assert.Equal(s_calls[i].Name, result.ToolCalls[i].Name);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse(s_calls[i].Arguments), JsonNode.Parse(result.ToolCalls[i].Arguments)),
                $"{templateId}: arguments {result.ToolCalls[i].Arguments} differ from {s_calls[i].Arguments}");
            Assert.Equal("function", result.ToolCalls[i].Type);
        }
    }

    [Fact]
    public void DeepSeekV31ShapeWithTextBefore()
    {
        const string reply = "Let me check.<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>get_weather<｜tool▁sep｜>{\"city\": \"Rome\"}<｜tool▁call▁end｜><｜tool▁calls▁end｜>";
        var result = ToolCallParser.Parse(reply);
        Assert.Equal("Let me check.", result.Content);
        var call = Assert.Single(result.ToolCalls);
        Assert.Equal(("get_weather", "{\"city\": \"Rome\"}"), (call.Name, call.Arguments));
    }

    [Fact]
    public void QwenArgumentsGivenAsAStringAreKept()
    {
        var call = Assert.Single(ToolCallParser.Parse("<tool_call>\n{\"name\": \"f\", \"arguments\": \"{\\\"x\\\": 1}\"}\n</tool_call>").ToolCalls);
        Assert.Equal(("f", "{\"x\": 1}"), (call.Name, call.Arguments));
    }

    [Theory]
    [InlineData("The answer is 46.")]
    [InlineData("<tool_call>\n{\"name\": \"f\", \"arguments\": {\"x\": 1}")]                                     // cut off
    [InlineData("<tool_call>not json</tool_call>")]
    [InlineData("<tool_call>{\"arguments\": {}}</tool_call>")]                                                   // no name
    [InlineData("<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>f\n```json\n{}")]               // cut off
    [InlineData("<｜tool▁call▁begin｜>no separator<｜tool▁call▁end｜>")]
    public void TextWithoutCompleteCallsIsAllContent(string reply)
    {
        var result = ToolCallParser.Parse(reply);
        Assert.Empty(result.ToolCalls);
        Assert.Equal(reply.Trim(), result.Content);
    }

    [Fact]
    public void IndexOfStartFindsTheEarliestMarker()
    {
        Assert.Equal(-1, ToolCallParser.IndexOfStart("plain"));
        Assert.Equal(3, ToolCallParser.IndexOfStart("ab <tool_call> <｜tool▁calls▁begin｜>"));
        Assert.Equal(1, ToolCallParser.IndexOfStart("x<｜tool▁call▁begin｜>"));
    }
}
