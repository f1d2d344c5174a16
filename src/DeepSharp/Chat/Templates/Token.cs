namespace DeepSharp.Chat.Templates;

/// <summary>One lexical token: its kind, its (decoded) text and where it starts.</summary>
internal readonly record struct Token(TokenKind Kind, string Value, SourcePosition Position)
{
    public bool Is(TokenKind kind, string value) => Kind == kind && Value == value;

    public bool IsOperator(string value) => Kind == TokenKind.Operator && Value == value;

    public bool IsName(string value) => Kind == TokenKind.Name && Value == value;

    public override string ToString() => Kind switch
    {
        TokenKind.EndOfInput => "end of template",
        TokenKind.String => $"string '{Value}'",
        _ => $"'{Value}'",
    };
}
