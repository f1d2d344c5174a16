namespace DeepSharp.Evaluation;

/// <summary>A problem with a verifiable answer and a worked solution.</summary>
/// <param name="Question">The user's question.</param>
/// <param name="Reasoning">Worked steps, written inside <c>&lt;think&gt;…&lt;/think&gt;</c>.</param>
/// <param name="Answer">The exact expected answer.</param>
public sealed record ReasoningProblem(string Question, string Reasoning, string Answer)
{
    /// <summary>The assistant's full reply as the model should write it after the prompt's <c>&lt;think&gt;\n</c>.</summary>
    public string Completion => R1Prompt.Completion(Reasoning, Answer);
}
