using System.Text.Json.Nodes;

namespace DeepSharp.Tests.Chat;

/// <summary>How a template expects tool-call messages to look (templates differ, and break on the other form).</summary>
/// <param name="SupportsTools">Whether the template renders tool definitions, calls and results at all.</param>
/// <param name="ObjectArguments">Whether call arguments are JSON objects (templates that apply tojson) or JSON text.</param>
/// <param name="EmptyToolCallContent">Whether a tool-calling assistant message has content "" instead of null.</param>
/// <param name="ThinkingVariable">The variable that switches reasoning on or off, if any.</param>
public sealed record TemplateProfile(bool SupportsTools, bool ObjectArguments, bool EmptyToolCallContent, string? ThinkingVariable);

/// <summary>A real chat template from the shared test data, with its special tokens.</summary>
public sealed record TemplateCase(string Id, string Source, string? BosToken, string? EosToken, TemplateProfile Profile)
{
    public override string ToString() => Id;
}

/// <summary>
/// Every template the engine must render: the llama.cpp copies in shared/data/chat-templates and the
/// <c>chat_template</c> of the tokenizer configurations in shared/data/tokenizers.
/// </summary>
public static class TemplateCatalog
{
    private const string DeepSeekBos = "<｜begin▁of▁sentence｜>";
    private const string DeepSeekEos = "<｜end▁of▁sentence｜>";

    private static readonly Lazy<IReadOnlyList<TemplateCase>> Cases = new(Load);

    public static IReadOnlyList<TemplateCase> All => Cases.Value;

    public static TemplateCase Get(string id) => All.Single(c => c.Id == id);

    private static string File(string name) => System.IO.File.ReadAllText(TestPaths.Shared("chat-templates", name));

    private static string FromTokenizerConfig(string folder)
    {
        var config = JsonNode.Parse(System.IO.File.ReadAllText(TestPaths.Shared("tokenizers", folder, "tokenizer_config.json")))!;
        return config["chat_template"]!.GetValue<string>();
    }

    private static IReadOnlyList<TemplateCase> Load() =>
    [
        new("deepseek-v3", FromTokenizerConfig("deepseek_v3"), DeepSeekBos, DeepSeekEos, new(true, false, false, null)),
        new("qwen3", FromTokenizerConfig("qwen3"), null, "<|im_end|>", new(true, true, true, "enable_thinking")),
        new("llama3_1", FromTokenizerConfig("llama3_1"), "<|begin_of_text|>", "<|eot_id|>", new(false, true, false, null)),
        new("deepseek-v3.1", File("deepseek-ai-DeepSeek-V3.1.jinja"), DeepSeekBos, DeepSeekEos, new(true, true, false, "thinking")),
        new("deepseek-r1-distill-qwen", File("deepseek-ai-DeepSeek-R1-Distill-Qwen-32B.jinja"), DeepSeekBos, DeepSeekEos, new(true, true, false, "enable_thinking")),
        new("deepseek-r1-distill-llama", File("deepseek-ai-DeepSeek-R1-Distill-Llama-8B.jinja"), DeepSeekBos, DeepSeekEos, new(true, false, false, null)),
        new("llama-cpp-deepseek-r1", File("llama-cpp-deepseek-r1.jinja"), DeepSeekBos, DeepSeekEos, new(true, true, false, null)),
        new("qwen2.5", File("Qwen-Qwen2.5-7B-Instruct.jinja"), null, "<|im_end|>", new(true, true, false, null)),
        new("llama-3.1-instruct", File("meta-llama-Llama-3.1-8B-Instruct.jinja"), "<|begin_of_text|>", "<|eot_id|>", new(true, true, false, null)),
    ];
}
