namespace DeepSharp.Evaluation;

/// <summary>Checks a model's completion (the text generated after the prompt) against the expected answer.</summary>
public static class CompletionGrader
{
    /// <summary>Splits <paramref name="completion"/> at <c>&lt;/think&gt;</c> and compares the answer with <paramref name="expected"/>.</summary>
    public static CompletionGrade Grade(string completion, string expected)
    {
        ArgumentNullException.ThrowIfNull(completion);
        string text = completion.EndsWith(R1Prompt.Eos, StringComparison.Ordinal) ? completion[..^R1Prompt.Eos.Length] : completion;
        int close = text.IndexOf(R1Prompt.ThinkClose, StringComparison.Ordinal);
        if (close < 0)
        {
            return new CompletionGrade(false, false, text, null);
        }
        string reasoning = text[..close];
        string answer = text[(close + R1Prompt.ThinkClose.Length)..].Trim();
        bool wellFormed = answer.Length > 0
            && !answer.Contains(R1Prompt.ThinkClose, StringComparison.Ordinal)
            && !reasoning.Contains(R1Prompt.ThinkOpen, StringComparison.Ordinal)
            && IsInteger(answer);
        return new CompletionGrade(wellFormed, wellFormed && answer == expected, reasoning, answer);
    }

    private static bool IsInteger(string s)
    {
        int start = s[0] == '-' ? 1 : 0;
        if (start == s.Length)
        {
            return false;
        }
        for (int i = start; i < s.Length; i++)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                return false;
            }
        }
        return true;
    }
}
