namespace DeepSharp.Chat.Templates;

/// <summary>
/// Recursive-descent parser from tokens to the syntax tree, following Jinja's grammar and operator precedence
/// (lowest first): conditional <c>a if b else c</c>, <c>or</c>, <c>and</c>, <c>not</c>, comparisons and
/// <c>in</c>, <c>+ -</c>, <c>~</c>, <c>* / // %</c>, <c>**</c>, unary <c>- +</c>, then postfix access, filters and
/// tests. Nesting is bounded so a hostile template cannot overflow the stack.
/// </summary>
internal sealed partial class Parser
{
    private const int MaxNesting = 500;

    private readonly List<Token> _tokens;
    private int _index;
    private int _depth;

    private Parser(List<Token> tokens) => _tokens = tokens;

    /// <summary>Parses a whole template.</summary>
    public static BlockStmt ParseTemplate(string source)
    {
        var parser = new Parser(Lexer.Tokenize(source));
        var body = parser.ParseBody([], out _);
        return new BlockStmt(new SourcePosition(1, 1), body);
    }

    private Token Current => _tokens[_index];

    private Token Peek(int ahead = 1) => _tokens[Math.Min(_index + ahead, _tokens.Count - 1)];

    private Token Next() => _tokens[_index < _tokens.Count - 1 ? _index++ : _index];

    private static ChatTemplateException Error(string problem, Token at) =>
        new(problem, at.Position.Line, at.Position.Column);

    private Token Expect(TokenKind kind, string? value = null)
    {
        var t = Current;
        if (t.Kind != kind || (value is not null && t.Value != value))
        {
            string wanted = value is not null ? $"'{value}'" : kind switch
            {
                TokenKind.BlockEnd => "'%}'",
                TokenKind.VariableEnd => "'}}'",
                TokenKind.Name => "a name",
                _ => kind.ToString().ToLowerInvariant(),
            };
            throw Error($"expected {wanted} but found {t}", t);
        }
        return Next();
    }

    private string ExpectName() => Expect(TokenKind.Name).Value;

    private bool AcceptOperator(string op)
    {
        if (Current.IsOperator(op))
        {
            _index++;
            return true;
        }
        return false;
    }

    private bool AcceptName(string name)
    {
        if (Current.IsName(name))
        {
            _index++;
            return true;
        }
        return false;
    }

    private void Enter(Token at)
    {
        if (++_depth > MaxNesting)
        {
            throw Error($"template nesting deeper than {MaxNesting} levels", at);
        }
    }

    /// <summary>
    /// Parses statements until a block tag whose keyword is one of <paramref name="endKeywords"/> (left
    /// unconsumed after its <c>{%</c>), or the end of input when the list is empty.
    /// </summary>
    private List<Stmt> ParseBody(string[] endKeywords, out string? endedBy)
    {
        var body = new List<Stmt>();
        while (true)
        {
            var t = Current;
            switch (t.Kind)
            {
                case TokenKind.EndOfInput:
                    if (endKeywords.Length > 0)
                    {
                        throw Error($"unexpected end of template: expected {string.Join(" or ", endKeywords.Select(k => $"'{{% {k} %}}'"))}", t);
                    }
                    endedBy = null;
                    return body;
                case TokenKind.Text:
                    body.Add(new TextStmt(t.Position, t.Value));
                    Next();
                    break;
                case TokenKind.VariableBegin:
                    Next();
                    body.Add(new OutputStmt(t.Position, ParseExpression()));
                    Expect(TokenKind.VariableEnd);
                    break;
                case TokenKind.BlockBegin:
                    var keyword = Peek();
                    if (keyword.Kind == TokenKind.Name && endKeywords.Contains(keyword.Value))
                    {
                        Next();
                        Next();
                        endedBy = keyword.Value;
                        return body;
                    }
                    Next();
                    body.Add(ParseStatement(t));
                    break;
                default:
                    throw Error($"unexpected {t}", t);
            }
        }
    }

    private Stmt ParseStatement(Token open)
    {
        var keyword = Current;
        if (keyword.Kind != TokenKind.Name)
        {
            throw Error($"expected a statement keyword but found {keyword}", keyword);
        }
        Enter(keyword);
        Next();
        Stmt result = keyword.Value switch
        {
            "if" => ParseIf(keyword),
            "for" => ParseFor(keyword),
            "set" => ParseSet(keyword),
            "macro" => ParseMacro(keyword),
            "generation" => ParseGeneration(keyword),
            "break" or "continue" => EndTag(new LoopControlStmt(keyword.Position, keyword.Value == "break")),
            _ => throw Error($"unknown statement '{keyword.Value}'", keyword),
        };
        _depth--;
        return result;
    }

    private T EndTag<T>(T node)
    {
        Expect(TokenKind.BlockEnd);
        return node;
    }

    private IfStmt ParseIf(Token keyword)
    {
        var branches = new List<(Expr, IReadOnlyList<Stmt>)>();
        IReadOnlyList<Stmt>? elseBody = null;
        var test = ParseExpression();
        while (true)
        {
            Expect(TokenKind.BlockEnd);
            var body = ParseBody(["elif", "else", "endif"], out string? endedBy);
            branches.Add((test, body));
            if (endedBy == "elif")
            {
                test = ParseExpression();
                continue;
            }
            if (endedBy == "else")
            {
                Expect(TokenKind.BlockEnd);
                elseBody = ParseBody(["endif"], out _);
            }
            Expect(TokenKind.BlockEnd);
            return new IfStmt(keyword.Position, branches, elseBody);
        }
    }

    private ForStmt ParseFor(Token keyword)
    {
        var targets = new List<string> { ExpectName() };
        while (AcceptOperator(","))
        {
            targets.Add(ExpectName());
        }
        Expect(TokenKind.Name, "in");
        var iterable = ParseOr(allowConditional: false);
        Expr? filter = AcceptName("if") ? ParseExpression() : null;
        if (Current.IsName("recursive"))
        {
            throw Error("recursive loops are not supported", Current);
        }
        Expect(TokenKind.BlockEnd);
        var body = ParseBody(["else", "endfor"], out string? endedBy);
        IReadOnlyList<Stmt>? elseBody = null;
        if (endedBy == "else")
        {
            Expect(TokenKind.BlockEnd);
            elseBody = ParseBody(["endfor"], out _);
        }
        Expect(TokenKind.BlockEnd);
        return new ForStmt(keyword.Position, targets, iterable, filter, body, elseBody);
    }

    private SetStmt ParseSet(Token keyword)
    {
        var names = new List<string> { ExpectName() };
        string? attribute = null;
        if (AcceptOperator("."))
        {
            attribute = ExpectName();
        }
        else
        {
            while (AcceptOperator(","))
            {
                names.Add(ExpectName());
            }
        }

        if (AcceptOperator("="))
        {
            var value = ParseTupleOrExpression();
            Expect(TokenKind.BlockEnd);
            return new SetStmt(keyword.Position, names, attribute, value, null);
        }
        if (names.Count > 1)
        {
            throw Error("a block set needs a single target", Current);
        }
        Expect(TokenKind.BlockEnd);
        var body = ParseBody(["endset"], out _);
        Expect(TokenKind.BlockEnd);
        return new SetStmt(keyword.Position, names, attribute, null, body);
    }

    private MacroStmt ParseMacro(Token keyword)
    {
        string name = ExpectName();
        Expect(TokenKind.Operator, "(");
        var parameters = new List<MacroParameter>();
        while (!AcceptOperator(")"))
        {
            if (parameters.Count > 0)
            {
                Expect(TokenKind.Operator, ",");
                if (AcceptOperator(")"))
                {
                    break;
                }
            }
            string p = ExpectName();
            Expr? def = AcceptOperator("=") ? ParseExpression() : null;
            parameters.Add(new MacroParameter(p, def));
        }
        Expect(TokenKind.BlockEnd);
        var body = ParseBody(["endmacro"], out _);
        if (Current.Kind == TokenKind.Name && Current.Value == name)
        {
            Next();
        }
        Expect(TokenKind.BlockEnd);
        return new MacroStmt(keyword.Position, name, parameters, body);
    }

    private BlockStmt ParseGeneration(Token keyword)
    {
        Expect(TokenKind.BlockEnd);
        var body = ParseBody(["endgeneration"], out _);
        Expect(TokenKind.BlockEnd);
        return new BlockStmt(keyword.Position, body);
    }
}
