namespace DeepSharp.Chat.Templates;

/// <summary>Thrown by <c>raise_exception(message)</c>; becomes a <see cref="ChatTemplateRaisedException"/>.</summary>
internal sealed class TemplateRaise(string message) : Exception(message);
