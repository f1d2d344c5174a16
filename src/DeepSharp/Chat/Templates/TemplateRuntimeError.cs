namespace DeepSharp.Chat.Templates;

/// <summary>
/// A rendering error raised by value operations that do not know where in the template they are; the
/// evaluator catches it at the innermost expression and rethrows it as a <see cref="ChatTemplateException"/>
/// with that expression's line and column.
/// </summary>
internal sealed class TemplateRuntimeError(string message) : Exception(message);
