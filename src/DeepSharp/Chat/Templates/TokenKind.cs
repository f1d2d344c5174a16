namespace DeepSharp.Chat.Templates;

/// <summary>The kinds of token the template lexer produces.</summary>
internal enum TokenKind
{
    /// <summary>Literal template text, already trimmed by whitespace control.</summary>
    Text,
    /// <summary><c>{{</c></summary>
    VariableBegin,
    /// <summary><c>}}</c></summary>
    VariableEnd,
    /// <summary><c>{%</c></summary>
    BlockBegin,
    /// <summary><c>%}</c></summary>
    BlockEnd,
    Name,
    String,
    Integer,
    Float,
    /// <summary>Punctuation and operators such as <c>+</c>, <c>==</c>, <c>(</c> or <c>|</c>.</summary>
    Operator,
    EndOfInput,
}
