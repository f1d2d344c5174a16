using DeepSharp.Chat;
using DeepSharp.Engine;
using DeepSharp.Tokenization;

namespace DeepSharp.Tests.Engine;

/// <summary>
/// A past assistant tool call reaches the template in the form the template was written for: Hugging Face callers pass
/// an arguments object to templates that serialise it themselves (<c>| tojson</c>), and text to those that concatenate it.
/// </summary>
public sealed class ChatPromptRendererToolTests
{
    private static readonly ChatMessage[] s_conversation =
    [
        ChatMessage.User("Weather in Paris?"),
        new ChatMessage("assistant", null) { ToolCalls = [new ChatToolCall("get_weather", "{\"city\": \"Paris\"}") { Id = "call_1" }] },
        ChatMessage.Tool("{\"temp\": 21}", "call_1"),
    ];

    private static string Render(string templateFile, string tokenizerFolder)
    {
        string source = File.ReadAllText(TestPaths.Shared("chat-templates", templateFile));
        var renderer = new ChatPromptRenderer(ChatTemplate.Parse(source), Tokenizer.Load(TestPaths.Shared("tokenizers", tokenizerFolder)));
        return renderer.Render(s_conversation, thinking: true);
    }

    [Fact]
    public void QwenWritesTheArgumentsAsAnObject()
    {
        string prompt = Render("Qwen-Qwen2.5-7B-Instruct.jinja", "qwen3");
        // tojson of the object, as transformers renders it; a string would come out as "{\"city\": \"Paris\"}".
        Assert.Contains("\"arguments\": {\"city\": \"Paris\"}", prompt);
        Assert.DoesNotContain("\\\"city\\\"", prompt);
    }

    [Fact]
    public void R1ConcatenatesTheArgumentText()
    {
        string prompt = Render("deepseek-ai-DeepSeek-R1-Distill-Llama-8B.jinja", "deepseek_v3");
        Assert.Contains("{\"city\": \"Paris\"}", prompt);
    }

    [Theory]
    [InlineData("{{ tool_call.arguments | tojson }}", true)]
    [InlineData("{{ tool['function']['arguments'] | tojson }}", true)]
    [InlineData("{% for k, v in tool_call.arguments | items %}{% endfor %}", true)]
    [InlineData("{{ '```json' + '\\n' + tool['function']['arguments'] + '\\n' }}", false)]
    [InlineData("{{ messages | tojson }}", false)]
    public void TheFormIsReadFromTheTemplate(string source, bool objects) =>
        Assert.Equal(objects, ChatPromptRenderer.ExpectsArgumentObjects(source));
}
