using DeepSharp.Chat;

namespace DeepSharp.Tests.Chat;

/// <summary>
/// Behaviour where @huggingface/jinja departs from Python's Jinja (which transformers runs, and which chat
/// templates are written for). The expected values are Python's documented results: <c>str(True)</c> is
/// "True", <c>len()</c> counts code points, <c>str.strip(chars)</c> strips only those characters, and so on.
/// </summary>
public sealed class JinjaPythonSemanticsTests
{
    private static string Render(string template, IReadOnlyDictionary<string, object?>? variables = null, DateTimeOffset? now = null) =>
        ChatTemplate.Parse(template).Render(new ChatTemplateContext { Variables = variables, Now = now });

    [Theory]
    [InlineData("{{ true }} {{ false }} {{ none }}", "True False None")]
    [InlineData("{{ [1, 'a', none, true] }}", "[1, 'a', None, True]")]
    [InlineData("{{ {'k': 'v', 'n': 1.5} }}", "{'k': 'v', 'n': 1.5}")]
    [InlineData("{{ \"it's\" ~ [\"it's\"] }}", "it's[\"it's\"]")]
    [InlineData("{{ 1e20 }} {{ 1e-5 }} {{ 123456789.0 }} {{ 1e16 }} {{ 1e15 }}", "1e+20 1e-05 123456789.0 1e+16 1000000000000000.0")]
    [InlineData("{{ none | default('x') }}", "None")]
    public void PrintsValuesLikePythonStr(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ '\\n\\nx \\n'.strip('\\n') }}", "x ")]
    [InlineData("{{ 'xxhixx'.lstrip('x') }}", "hixx")]
    [InlineData("{{ 'xxhixx'.rstrip('x') }}", "xxhi")]
    [InlineData("{{ '--a--' | trim('-') }}", "a")]
    public void StripTakesCharacters(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ '你好🙂' | length }}", "3")]
    [InlineData("{{ '你好🙂'[2] }}", "🙂")]
    [InlineData("{{ '你好🙂'[::-1] }}", "🙂好你")]
    [InlineData("{% for c in 'a🙂' %}[{{ c }}]{% endfor %}", "[a][🙂]")]
    public void StringsIndexByCodePoint(string template, string expected) => Assert.Equal(expected, Render(template));

    [Theory]
    [InlineData("{{ 'x' * 3 }}{{ 2 * 'ab' }}", "xxxabab")]
    [InlineData("{{ 'a' < 'b' }} {{ [1, 2] < [1, 3] }}", "True True")]
    [InlineData("{{ ['a', 'b', 'c'] | reject('equalto', 'b') | join }}", "ac")]
    [InlineData("{{ [0, 1, 2, 3] | select('odd') | join(',') }}", "1,3")]
    [InlineData("{{ [3, 1, 2] | sort | join }}{{ ['b', 'A', 'c'] | sort | join }}", "123Abc")]
    [InlineData("{{ 'a b c'.rsplit(' ', 1)[0] }}|{{ ' a b c '.split(none, 1)[1] }}|{{ ' a b c '.rsplit(none, 1)[0] }}", "a b|b c | a b")]
    [InlineData("{{ -7 // 2 }} {{ -7 % 3 }} {{ 2 ** -1 }} {{ 7.0 // 2 }}", "-4 2 0.5 3.0")]
    [InlineData("{{ 1 < 2 < 3 }} {{ 3 > 2 > 2 }}", "True False")]
    [InlineData("{{ 'abc'.replace('', '-') }}", "-a-b-c-")]
    [InlineData("{{ 'a\\nb' | indent(2, true) }}", "  a\n  b")]
    [InlineData("{{ range(3) | list }} {{ range(5, 0, -2) | list }}", "[0, 1, 2] [5, 3, 1]")]
    [InlineData("{{ dict(a=1, b=2) | tojson }} {{ {'b': 1, 'a': 2} | tojson(sort_keys=true) }}", "{\"a\": 1, \"b\": 2} {\"a\": 2, \"b\": 1}")]
    [InlineData("{{ 'é' | tojson(ensure_ascii=true) }}", "\"\\u00e9\"")]
    [InlineData("{% raw %}{{ not evaluated }}{% endraw %}", "{{ not evaluated }}")]
    [InlineData("x\n    {%+ if true %}y{% endif %}", "x\n    y")]
    [InlineData("{% generation %}kept{% endgeneration %}", "kept")]
    public void PythonOnlyFeatures(string template, string expected) => Assert.Equal(expected, Render(template));

    [Fact]
    public void StrftimeNowReadsTheContextClock()
    {
        var now = new DateTimeOffset(2025, 3, 7, 14, 5, 9, TimeSpan.Zero);
        Assert.Equal("07 Mar 2025|Friday 14:05:09 PM|7", Render("{{ strftime_now('%d %b %Y') }}|{{ strftime_now('%A %H:%M:%S %p') }}|{{ strftime_now('%-d') }}", now: now));
    }

    [Fact]
    public void ExtraVariablesAcceptClrValues()
    {
        var vars = new Dictionary<string, object?>
        {
            ["n"] = 3,
            ["f"] = 2.5f,
            ["list"] = new[] { "a", "b" },
            ["map"] = new Dictionary<string, object?> { ["k"] = true },
        };
        Assert.Equal("3 2.5 a,b True", Render("{{ n }} {{ f }} {{ list | join(',') }} {{ map.k }}", vars));
    }

    [Fact]
    public void MessageOmitsNullOptionalFields()
    {
        var template = ChatTemplate.Parse("{% for m in messages %}{{ m | tojson }};{% endfor %}");
        string output = template.Render(new ChatTemplateContext
        {
            Messages =
            [
                ChatMessage.User("hi"),
                new ChatMessage("assistant", null)
                {
                    ToolCalls = [new ChatToolCall("f", "{\"x\": 1}") { Id = "c1" }],
                    ReasoningContent = "why",
                },
                ChatMessage.Tool("out", "c1"),
            ],
        });
        Assert.Equal(
            "{\"role\": \"user\", \"content\": \"hi\"};"
            + "{\"role\": \"assistant\", \"content\": null, \"reasoning_content\": \"why\", \"tool_calls\": [{\"id\": \"c1\", \"type\": \"function\", \"function\": {\"name\": \"f\", \"arguments\": \"{\\\"x\\\": 1}\"}}]};"
            + "{\"role\": \"tool\", \"content\": \"out\", \"tool_call_id\": \"c1\"};",
            output);
    }

    [Fact]
    public void ToolArgumentsCanBeObjects()
    {
        var template = ChatTemplate.Parse("{{ messages[0].tool_calls[0].function.arguments.x }}|{{ messages[0].tool_calls[1].function.arguments }}");
        string output = template.Render(new ChatTemplateContext
        {
            Messages = [new ChatMessage("assistant", null) { ToolCalls = [new ChatToolCall("f", "{\"x\": 7}"), new ChatToolCall("g", "not json")] }],
            ToolArgumentsAsObjects = true,
        });
        Assert.Equal("7|not json", output);
    }
}
