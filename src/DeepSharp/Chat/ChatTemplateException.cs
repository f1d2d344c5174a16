namespace DeepSharp.Chat;

/// <summary>
/// A chat template could not be parsed or rendered. <see cref="Line"/> and <see cref="Column"/> point into the
/// template source (both 0 when the problem has no position, such as a limit reached).
/// </summary>
public class ChatTemplateException : Exception
{
    /// <summary>Creates an exception for a problem at a 1-based line and column of the template.</summary>
    public ChatTemplateException(string problem, int line, int column)
        : base(line > 0 ? $"chat template error at line {line}, column {column}: {problem}" : $"chat template error: {problem}")
    {
        Problem = problem;
        Line = line;
        Column = column;
    }

    /// <summary>The problem, without the position prefix.</summary>
    public string Problem { get; }

    /// <summary>1-based line of the template where the problem was found, or 0.</summary>
    public int Line { get; }

    /// <summary>1-based column of the template where the problem was found, or 0.</summary>
    public int Column { get; }
}
