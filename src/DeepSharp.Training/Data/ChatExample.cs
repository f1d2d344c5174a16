using DeepSharp.Evaluation;
using DeepSharp.Training.Tokenization;

namespace DeepSharp.Training.Data;

/// <summary>A tokenized R1-format example: the prompt (through <c>&lt;think&gt;\n</c>) and the assistant's completion.</summary>
/// <param name="Prompt">Prompt ids, BOS first.</param>
/// <param name="Completion">Completion ids, EOS last.</param>
public sealed record ChatExample(int[] Prompt, int[] Completion)
{
    /// <summary>Tokenizes a worked problem asked as the first question of a conversation.</summary>
    public static ChatExample From(BpeTokenizer tokenizer, ReasoningProblem problem) => From(tokenizer, [], problem);

    /// <summary>Tokenizes a worked problem asked after <paramref name="earlier"/> turns (questions and answers) of the same conversation.</summary>
    public static ChatExample From(BpeTokenizer tokenizer, IReadOnlyList<ReasoningProblem> earlier, ReasoningProblem problem) =>
        new([.. tokenizer.Encode(R1Prompt.Render(earlier, problem.Question))], [.. tokenizer.Encode(problem.Completion)]);

    /// <summary>
    /// Packs examples into inputs and targets [n, T]: targets are the next tokens of the completion and −100
    /// elsewhere (prompt and right padding), so the loss trains only what the assistant writes.
    /// </summary>
    public static (long[] Inputs, long[] Targets, int Length) Pack(IReadOnlyList<ChatExample> examples, int padId)
    {
        int length = examples.Max(e => e.Prompt.Length + e.Completion.Length) - 1;
        var inputs = new long[examples.Count * length];
        var targets = new long[examples.Count * length];
        Array.Fill(inputs, padId);
        Array.Fill(targets, -100);
        for (int r = 0; r < examples.Count; r++)
        {
            int[] all = [.. examples[r].Prompt, .. examples[r].Completion];
            for (int i = 0; i + 1 < all.Length; i++)
            {
                inputs[(r * length) + i] = all[i];
                if (i + 1 >= examples[r].Prompt.Length)
                {
                    targets[(r * length) + i] = all[i + 1];
                }
            }
        }
        return (inputs, targets, length);
    }
}
