namespace DeepSharp.Chat.Templates;

/// <summary>A statement node of the template syntax tree.</summary>
internal abstract record Stmt(SourcePosition Position);

/// <summary>Literal template text.</summary>
internal sealed record TextStmt(SourcePosition Position, string Text) : Stmt(Position);

/// <summary><c>{{ expr }}</c></summary>
internal sealed record OutputStmt(SourcePosition Position, Expr Value) : Stmt(Position);

/// <summary><c>{% if %}</c> with its <c>elif</c> branches and optional <c>else</c>.</summary>
internal sealed record IfStmt(SourcePosition Position, IReadOnlyList<(Expr Test, IReadOnlyList<Stmt> Body)> Branches, IReadOnlyList<Stmt>? Else) : Stmt(Position);

/// <summary><c>{% for a, b in iterable if filter %} ... {% else %} ... {% endfor %}</c></summary>
internal sealed record ForStmt(
    SourcePosition Position,
    IReadOnlyList<string> Targets,
    Expr Iterable,
    Expr? Filter,
    IReadOnlyList<Stmt> Body,
    IReadOnlyList<Stmt>? Else) : Stmt(Position);

/// <summary>
/// <c>{% set target = value %}</c>, or the block form <c>{% set target %}...{% endset %}</c> when
/// <see cref="Body"/> is given. A target is one name, several names (tuple unpacking) or <c>ns.attr</c>.
/// </summary>
internal sealed record SetStmt(SourcePosition Position, IReadOnlyList<string> Names, string? Attribute, Expr? Value, IReadOnlyList<Stmt>? Body) : Stmt(Position);

/// <summary>A macro parameter and its optional default.</summary>
internal sealed record MacroParameter(string Name, Expr? Default);

/// <summary><c>{% macro name(params) %} ... {% endmacro %}</c></summary>
internal sealed record MacroStmt(SourcePosition Position, string Name, IReadOnlyList<MacroParameter> Parameters, IReadOnlyList<Stmt> Body) : Stmt(Position);

/// <summary>A plain group of statements (the body of <c>{% generation %}</c>, or a whole template).</summary>
internal sealed record BlockStmt(SourcePosition Position, IReadOnlyList<Stmt> Body) : Stmt(Position);

/// <summary><c>{% break %}</c> or <c>{% continue %}</c> (Jinja's loopcontrols extension, on in transformers).</summary>
internal sealed record LoopControlStmt(SourcePosition Position, bool IsBreak) : Stmt(Position);
