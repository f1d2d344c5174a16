namespace DeepSharp.Chat.Templates;

/// <summary>An expression node of the template syntax tree; every node remembers where it starts.</summary>
internal abstract record Expr(SourcePosition Position);

/// <summary>A string, number, boolean or <c>none</c> literal.</summary>
internal sealed record LiteralExpr(SourcePosition Position, object? Value) : Expr(Position);

/// <summary>A variable reference.</summary>
internal sealed record NameExpr(SourcePosition Position, string Name) : Expr(Position);

/// <summary><c>[a, b]</c>, or <c>(a, b)</c> when <see cref="IsTuple"/>.</summary>
internal sealed record ListExpr(SourcePosition Position, IReadOnlyList<Expr> Items, bool IsTuple) : Expr(Position);

/// <summary><c>{'key': value, ...}</c></summary>
internal sealed record DictExpr(SourcePosition Position, IReadOnlyList<(Expr Key, Expr Value)> Pairs) : Expr(Position);

/// <summary><c>obj.name</c></summary>
internal sealed record AttributeExpr(SourcePosition Position, Expr Target, string Name) : Expr(Position);

/// <summary><c>obj[key]</c></summary>
internal sealed record ItemExpr(SourcePosition Position, Expr Target, Expr Key) : Expr(Position);

/// <summary><c>obj[start:stop:step]</c>; each part may be missing.</summary>
internal sealed record SliceExpr(SourcePosition Position, Expr Target, Expr? Start, Expr? Stop, Expr? Step) : Expr(Position);

/// <summary>Positional and keyword arguments of a call, filter or test.</summary>
internal sealed record ArgumentList(IReadOnlyList<Expr> Positional, IReadOnlyList<(string Name, Expr Value)> Keywords)
{
    public static readonly ArgumentList Empty = new([], []);
}

/// <summary><c>callee(args)</c></summary>
internal sealed record CallExpr(SourcePosition Position, Expr Callee, ArgumentList Arguments) : Expr(Position);

/// <summary><c>value | name(args)</c></summary>
internal sealed record FilterExpr(SourcePosition Position, Expr Value, string Name, ArgumentList Arguments) : Expr(Position);

/// <summary><c>value is [not] name(args)</c></summary>
internal sealed record TestExpr(SourcePosition Position, Expr Value, string Name, ArgumentList Arguments, bool Negated) : Expr(Position);

/// <summary><c>not x</c>, <c>-x</c>, <c>+x</c></summary>
internal sealed record UnaryExpr(SourcePosition Position, string Operator, Expr Operand) : Expr(Position);

/// <summary>Arithmetic, <c>~</c>, <c>and</c> and <c>or</c>.</summary>
internal sealed record BinaryExpr(SourcePosition Position, string Operator, Expr Left, Expr Right) : Expr(Position);

/// <summary>A comparison chain such as <c>a &lt; b &lt;= c</c> or <c>x not in y</c>.</summary>
internal sealed record CompareExpr(SourcePosition Position, Expr First, IReadOnlyList<(string Operator, Expr Operand)> Rest) : Expr(Position);

/// <summary><c>a if test else b</c> (the else part may be missing, giving undefined).</summary>
internal sealed record ConditionalExpr(SourcePosition Position, Expr Test, Expr Then, Expr? Else) : Expr(Position);
