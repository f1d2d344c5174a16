namespace DeepSharp.Chat.Templates;

/// <summary>A 1-based line and column in a template's source, for error messages.</summary>
internal readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"line {Line}, column {Column}";
}
