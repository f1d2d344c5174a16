namespace DeepSharp.Chat;

/// <summary>
/// The template itself rejected the conversation by calling <c>raise_exception(message)</c>, for example
/// "Conversation roles must alternate". This is a problem with the request, not with the template.
/// </summary>
public sealed class ChatTemplateRaisedException : ChatTemplateException
{
    /// <summary>Creates the exception for the template's own message raised at a template position.</summary>
    public ChatTemplateRaisedException(string templateMessage, int line, int column)
        : base("raise_exception: " + templateMessage, line, column)
    {
        TemplateMessage = templateMessage;
    }

    /// <summary>The message the template passed to <c>raise_exception</c>.</summary>
    public string TemplateMessage { get; }
}
