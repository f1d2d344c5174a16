namespace DeepSharp.Formats.Gguf;

/// <summary>
/// The one exception a GGUF file that is malformed, truncated or hostile produces. It names the byte
/// offset where the problem was found and what is wrong there.
/// </summary>
public sealed class GgufFormatException : Exception
{
    /// <summary>Creates the exception for a problem found at <paramref name="offset"/>.</summary>
    public GgufFormatException(long offset, string problem)
        : base($"invalid GGUF file at byte offset {offset}: {problem}")
    {
        Offset = offset;
        Problem = problem;
    }

    /// <summary>Byte offset in the file where the problem was found.</summary>
    public long Offset { get; }

    /// <summary>What is wrong, without the offset.</summary>
    public string Problem { get; }
}
