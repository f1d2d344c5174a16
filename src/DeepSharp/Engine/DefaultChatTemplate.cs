using DeepSharp.Evaluation;

namespace DeepSharp.Engine;

/// <summary>
/// The chat template used for models whose GGUF has no <c>tokenizer.chat_template</c>: the short DeepSeek-R1 layout
/// of <see cref="R1Prompt.ChatTemplate"/> (system text first, <c>&lt;｜User｜&gt;</c>/<c>&lt;｜Assistant｜&gt;</c> turns,
/// an open think block after the generation prompt). Models trained on another layout should carry their own.
/// </summary>
public static class DefaultChatTemplate
{
    /// <summary>The template source (Jinja).</summary>
    public const string Source = R1Prompt.ChatTemplate;

    /// <summary>Texts that end a reply under this template; they matter when the vocabulary lacks them as single tokens.</summary>
    public static IReadOnlyList<string> StopStrings { get; } = [R1Prompt.Eos, R1Prompt.User];
}
