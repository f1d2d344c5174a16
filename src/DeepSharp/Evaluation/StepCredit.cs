namespace DeepSharp.Evaluation;

/// <summary>
/// A rule-checked partial credit for worked reasoning: the share of the reference solution's step lines that the
/// completion writes at the same position. It rewards a completion that gets the first columns right even when a
/// later column (and so the answer) goes wrong.
/// </summary>
public static class StepCredit
{
    /// <summary>
    /// Lines of <paramref name="reasoning"/> equal to the line at the same index of <paramref name="reference"/>,
    /// divided by the larger line count (so extra lines also cost credit). Blank lines and surrounding spaces are ignored.
    /// </summary>
    public static double Score(string reasoning, string reference)
    {
        ArgumentNullException.ThrowIfNull(reasoning);
        ArgumentNullException.ThrowIfNull(reference);
        string[] written = Lines(reasoning), expected = Lines(reference);
        int total = Math.Max(written.Length, expected.Length);
        if (total == 0)
        {
            return 0;
        }
        int matched = 0;
        for (int i = 0; i < Math.Min(written.Length, expected.Length); i++)
        {
            matched += written[i] == expected[i] ? 1 : 0;
        }
        return (double)matched / total;
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
