namespace DeepSharp.Evaluation;

/// <summary>
/// DeepSeek-R1's prompt format for a single user turn (FACTS.md §4.7), as the trainer writes it and as the
/// bundled model's chat template renders it: the prompt ends with <c>&lt;｜Assistant｜&gt;&lt;think&gt;\n</c>, the
/// model continues with its reasoning, <c>&lt;/think&gt;</c>, the answer and end-of-sentence.
/// </summary>
public static class R1Prompt
{
    /// <summary>Beginning-of-sentence token text.</summary>
    public const string Bos = "<｜begin▁of▁sentence｜>";

    /// <summary>End-of-sentence token text.</summary>
    public const string Eos = "<｜end▁of▁sentence｜>";

    /// <summary>User-turn marker.</summary>
    public const string User = "<｜User｜>";

    /// <summary>Assistant-turn marker.</summary>
    public const string Assistant = "<｜Assistant｜>";

    /// <summary>Opens the reasoning.</summary>
    public const string ThinkOpen = "<think>";

    /// <summary>Closes the reasoning.</summary>
    public const string ThinkClose = "</think>";

    /// <summary>
    /// A short R1-style Jinja chat template: BOS, system text verbatim, user turns after <c>&lt;｜User｜&gt;</c>,
    /// assistant turns with earlier reasoning dropped, and a generation prompt that opens <c>&lt;think&gt;</c>.
    /// </summary>
    public const string ChatTemplate =
        "{{ bos_token }}{% for message in messages %}" +
        "{% if message['role'] == 'system' %}{{ message['content'] }}" +
        "{% elif message['role'] == 'user' %}{{ '<｜User｜>' + message['content'] }}" +
        "{% elif message['role'] == 'assistant' %}{% set content = message['content'] %}" +
        "{% if '</think>' in content %}{% set content = content.split('</think>')[-1] | trim %}{% endif %}" +
        "{{ '<｜Assistant｜>' + content + '<｜end▁of▁sentence｜>' }}{% endif %}{% endfor %}" +
        "{% if add_generation_prompt %}{{ '<｜Assistant｜><think>\\n' }}{% endif %}";

    /// <summary>The prompt for one user question, as the chat template renders it with a generation prompt.</summary>
    public static string Render(string question) => Render([], question);

    /// <summary>
    /// The prompt for <paramref name="question"/> after earlier turns of the same conversation, as the chat template
    /// renders it: each earlier problem's question, then its answer alone (the template drops past reasoning).
    /// </summary>
    public static string Render(IEnumerable<ReasoningProblem> earlier, string question) =>
        Bos + string.Concat(earlier.Select(p => User + p.Question + Assistant + p.Answer + Eos)) + User + question + Assistant + ThinkOpen + "\n";

    /// <summary>What the model writes after the prompt: reasoning, <c>&lt;/think&gt;</c>, answer, end-of-sentence.</summary>
    public static string Completion(string reasoning, string answer) => reasoning + "\n" + ThinkClose + "\n\n" + answer + Eos;
}
