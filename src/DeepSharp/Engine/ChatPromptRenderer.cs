using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DeepSharp.Chat;
using DeepSharp.Tokenization;

namespace DeepSharp.Engine;

/// <summary>
/// Turns chat messages into prompt token ids: renders the chat template with the generation prompt, switches
/// thinking off when asked, and encodes the text with special tokens recognised and exactly one BOS.
/// </summary>
public sealed class ChatPromptRenderer
{
    private const string ThinkStart = "<think>";
    private const string ThinkEnd = "</think>";

    private readonly ChatTemplate _template;
    private readonly Tokenizer _tokenizer;
    private readonly bool _mentionsThink;
    private readonly bool _argumentsAsObjects;

    /// <summary>Creates a renderer for <paramref name="template"/> under <paramref name="tokenizer"/>.</summary>
    public ChatPromptRenderer(ChatTemplate template, Tokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(tokenizer);
        _template = template;
        _tokenizer = tokenizer;
        _mentionsThink = template.Source.Contains(ThinkStart, StringComparison.Ordinal);
        _argumentsAsObjects = ExpectsArgumentObjects(template.Source);
    }

    /// <summary>The template.</summary>
    public ChatTemplate Template => _template;

    /// <summary>
    /// Renders <paramref name="messages"/> with the generation prompt; <paramref name="thinking"/> false asks the model to
    /// skip reasoning; <paramref name="tools"/> are the function definitions the template may show.
    /// </summary>
    public string Render(IReadOnlyList<ChatMessage> messages, bool thinking, IReadOnlyList<JsonNode>? tools = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var vocabulary = _tokenizer.Vocabulary;
        var variables = new Dictionary<string, object?>();
        if (!thinking)
        {
            // Templates with a switch (Qwen3's enable_thinking, DeepSeek V3.1's thinking) honour it themselves.
            variables["enable_thinking"] = false;
            variables["thinking"] = false;
        }
        string text = _template.Render(new ChatTemplateContext
        {
            Messages = messages,
            Tools = tools,
            AddGenerationPrompt = true,
            BosToken = vocabulary.BosId is int bos ? vocabulary.GetToken(bos) : null,
            EosToken = vocabulary.EosId is int eos ? vocabulary.GetToken(eos) : null,
            Variables = variables,
            ToolArgumentsAsObjects = _argumentsAsObjects,
        });
        if (!thinking && _mentionsThink && !text.TrimEnd().EndsWith(ThinkEnd, StringComparison.Ordinal))
        {
            text = CloseThinkBlock(text);
        }
        return text;
    }

    /// <summary>
    /// Encodes a rendered prompt: special tokens written in it are recognised, and the BOS the model wants is added
    /// only when the template did not already write it.
    /// </summary>
    public int[] Encode(string renderedPrompt)
    {
        var ids = new List<int>(_tokenizer.Encode(renderedPrompt, addSpecial: false, parseSpecial: true));
        var vocabulary = _tokenizer.Vocabulary;
        if (vocabulary.AddBos && vocabulary.BosId is int bos && (ids.Count == 0 || ids[0] != bos))
        {
            ids.Insert(0, bos);
        }
        return [.. ids];
    }

    /// <summary>
    /// Whether a template serialises a tool call's arguments itself (<c>arguments | tojson</c> or <c>| items</c>, as
    /// Qwen, Llama 3.1 and DeepSeek V3.1 do): Hugging Face callers pass those templates an object, so a past call's
    /// JSON text must be handed over parsed, or it would be written as one quoted string. Templates that concatenate
    /// the arguments (R1's) get the text.
    /// </summary>
    internal static bool ExpectsArgumentObjects(string templateSource) =>
        Regex.IsMatch(templateSource, @"arguments['""]?\]?\s*\|\s*(tojson|items)\b");

    /// <summary>Ends the prompt with an empty, closed think block so the model answers at once (R1-style templates).</summary>
    internal static string CloseThinkBlock(string prompt)
    {
        if (ReasoningParser.PromptOpensReasoning(prompt, ThinkStart, ThinkEnd))
        {
            int start = prompt.LastIndexOf(ThinkStart, StringComparison.Ordinal);
            return prompt[..start] + ThinkStart + "\n\n" + ThinkEnd + "\n\n";
        }
        return prompt + ThinkStart + "\n\n" + ThinkEnd + "\n\n";
    }
}
