using DeepSharp.Chat.Templates;

namespace DeepSharp.Chat;

/// <summary>
/// A model's Jinja chat template (the <c>chat_template</c> of <c>tokenizer_config.json</c>, or GGUF's
/// <c>tokenizer.chat_template</c>), parsed once and rendered into prompt text for any conversation. Implements
/// the subset of Jinja that chat templates use, with the whitespace settings of Hugging Face transformers
/// (<c>trim_blocks</c>, <c>lstrip_blocks</c>) and Python semantics for values.
/// </summary>
public sealed class ChatTemplate
{
    private readonly BlockStmt _root;

    private ChatTemplate(string source, BlockStmt root)
    {
        Source = source;
        _root = root;
    }

    /// <summary>The template text.</summary>
    public string Source { get; }

    /// <summary>Parses a template.</summary>
    /// <exception cref="ChatTemplateException">The template has a syntax error (the message gives its line and column).</exception>
    public static ChatTemplate Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new ChatTemplate(source, Parser.ParseTemplate(source));
    }

    /// <summary>Renders the prompt text for a conversation.</summary>
    /// <exception cref="ChatTemplateRaisedException">The template rejected the conversation with <c>raise_exception</c>.</exception>
    /// <exception cref="ChatTemplateException">Rendering failed or exceeded <see cref="ChatTemplateContext.Limits"/>.</exception>
    public string Render(ChatTemplateContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var evaluator = new Evaluator(context.Limits, context.Now ?? DateTimeOffset.Now);
        Scope globals;
        try
        {
            globals = ContextVariables.Build(context);
        }
        catch (ArgumentException e)
        {
            throw new ChatTemplateException(e.Message, 0, 0);
        }
        try
        {
            return evaluator.Render(_root, globals);
        }
        catch (TemplateRuntimeError e)
        {
            throw new ChatTemplateException(e.Message, 0, 0);
        }
    }
}
