using System.Text.Json.Nodes;

namespace DeepSharp.Chat;

/// <summary>
/// The variables a chat template is rendered with, named as Hugging Face transformers names them:
/// <c>messages</c>, <c>tools</c>, <c>add_generation_prompt</c>, <c>bos_token</c>, <c>eos_token</c>, plus any
/// <see cref="Variables"/> (for example <c>thinking</c> or <c>enable_thinking</c>).
/// </summary>
public sealed class ChatTemplateContext
{
    /// <summary>The conversation so far.</summary>
    public IReadOnlyList<ChatMessage> Messages { get; init; } = [];

    /// <summary>
    /// Tool definitions in the OpenAI format (<c>{"type": "function", "function": {"name", "description",
    /// "parameters"}}</c>); null renders <c>tools</c> as <c>none</c>, as transformers does.
    /// </summary>
    public IReadOnlyList<JsonNode>? Tools { get; init; }

    /// <summary>Whether to end the prompt with the header of an assistant turn.</summary>
    public bool AddGenerationPrompt { get; init; }

    /// <summary>The tokenizer's BOS text; null leaves <c>bos_token</c> undefined.</summary>
    public string? BosToken { get; init; }

    /// <summary>The tokenizer's EOS text; null leaves <c>eos_token</c> undefined.</summary>
    public string? EosToken { get; init; }

    /// <summary>
    /// Whether tool-call arguments reach the template as parsed JSON objects (what the Qwen, Llama and
    /// DeepSeek-V3.1 templates expect: they apply <c>tojson</c>) rather than as the JSON text (what the
    /// DeepSeek-V3 and R1-Distill-Llama templates expect: they concatenate it). Text that is not valid JSON
    /// stays text.
    /// </summary>
    public bool ToolArgumentsAsObjects { get; init; }

    /// <summary>Extra template variables; they may also replace the standard ones.</summary>
    public IReadOnlyDictionary<string, object?>? Variables { get; init; }

    /// <summary>The time <c>strftime_now</c> reports; null means the current local time.</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>Bounds on the render.</summary>
    public ChatTemplateLimits Limits { get; init; } = ChatTemplateLimits.Default;
}
