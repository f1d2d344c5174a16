using System.Globalization;

namespace DeepSharp.Chat.Templates;

/// <summary>Expression parsing, by precedence level.</summary>
internal sealed partial class Parser
{
    /// <summary>An expression, or a bare tuple <c>a, b</c> (as allowed on the right of <c>set</c>).</summary>
    private Expr ParseTupleOrExpression()
    {
        var first = ParseExpression();
        if (!Current.IsOperator(","))
        {
            return first;
        }
        var items = new List<Expr> { first };
        while (AcceptOperator(","))
        {
            if (Current.Kind == TokenKind.BlockEnd)
            {
                break;
            }
            items.Add(ParseExpression());
        }
        return new ListExpr(first.Position, items, IsTuple: true);
    }

    public Expr ParseExpression() => ParseOr(allowConditional: true);

    private Expr ParseOr(bool allowConditional)
    {
        var start = Current;
        Enter(start);
        var left = ParseAnd();
        int chain = 0;
        while (Current.IsName("or"))
        {
            Enter(Next());
            chain++;
            left = new BinaryExpr(start.Position, "or", left, ParseAnd());
        }
        _depth -= chain;
        if (allowConditional && Current.IsName("if"))
        {
            Next();
            var test = ParseOr(allowConditional: false);
            Expr? otherwise = AcceptName("else") ? ParseOr(allowConditional: true) : null;
            left = new ConditionalExpr(start.Position, test, left, otherwise);
        }
        _depth--;
        return left;
    }

    private Expr ParseAnd()
    {
        var left = ParseNot();
        int chain = 0;
        while (Current.IsName("and"))
        {
            var op = Next();
            Enter(op);
            chain++;
            left = new BinaryExpr(op.Position, "and", left, ParseNot());
        }
        _depth -= chain;
        return left;
    }

    private Expr ParseNot()
    {
        if (Current.IsName("not"))
        {
            var op = Next();
            Enter(op);
            var operand = ParseNot();
            _depth--;
            return new UnaryExpr(op.Position, "not", operand);
        }
        return ParseCompare();
    }

    private static readonly string[] ComparisonOperators = ["==", "!=", "<", ">", "<=", ">="];

    private Expr ParseCompare()
    {
        var first = ParseAdditive();
        var rest = new List<(string, Expr)>();
        while (true)
        {
            var t = Current;
            if (t.Kind == TokenKind.Operator && ComparisonOperators.Contains(t.Value))
            {
                Next();
                rest.Add((t.Value, ParseAdditive()));
            }
            else if (t.IsName("in"))
            {
                Next();
                rest.Add(("in", ParseAdditive()));
            }
            else if (t.IsName("not") && Peek().IsName("in"))
            {
                Next();
                Next();
                rest.Add(("not in", ParseAdditive()));
            }
            else
            {
                break;
            }
        }
        return rest.Count == 0 ? first : new CompareExpr(first.Position, first, rest);
    }

    private Expr ParseAdditive() => ParseLeftAssociative(ParseConcat, "+", "-");

    private Expr ParseConcat() => ParseLeftAssociative(ParseMultiplicative, "~");

    private Expr ParseMultiplicative() => ParseLeftAssociative(ParsePower, "*", "/", "//", "%");

    private Expr ParsePower() => ParseLeftAssociative(() => ParseUnary(), "**");

    /// <summary>
    /// One precedence level of left-associative binary operators. Each operator in a chain counts as a level
    /// of nesting, because the tree it builds is as deep as the chain is long.
    /// </summary>
    private Expr ParseLeftAssociative(Func<Expr> operand, params string[] operators)
    {
        var left = operand();
        int chain = 0;
        while (Current.Kind == TokenKind.Operator && operators.Contains(Current.Value))
        {
            var op = Next();
            Enter(op);
            chain++;
            left = new BinaryExpr(op.Position, op.Value, left, operand());
        }
        _depth -= chain;
        return left;
    }

    private Expr ParseUnary(bool withFilters = true)
    {
        var t = Current;
        Expr node;
        if (t.IsOperator("-") || t.IsOperator("+"))
        {
            Next();
            Enter(t);
            node = new UnaryExpr(t.Position, t.Value, ParseUnary(withFilters: false));
            _depth--;
        }
        else
        {
            node = ParsePostfix(ParsePrimary());
        }
        // As in Jinja, `-x|f` filters the negated value.
        return withFilters ? ParseFiltersAndTests(node) : node;
    }

    private Expr ParsePrimary()
    {
        var t = Current;
        switch (t.Kind)
        {
            case TokenKind.String:
            {
                Next();
                string s = t.Value;
                while (Current.Kind == TokenKind.String)
                {
                    s += Next().Value; // adjacent literals concatenate, as in Python
                }
                return new LiteralExpr(t.Position, s);
            }
            case TokenKind.Integer:
                Next();
                return long.TryParse(t.Value, NumberStyles.None, CultureInfo.InvariantCulture, out long l)
                    ? new LiteralExpr(t.Position, l)
                    : new LiteralExpr(t.Position, double.Parse(t.Value, CultureInfo.InvariantCulture));
            case TokenKind.Float:
                Next();
                return new LiteralExpr(t.Position, double.Parse(t.Value, NumberStyles.Float, CultureInfo.InvariantCulture));
            case TokenKind.Name:
                Next();
                return t.Value switch
                {
                    "true" or "True" => new LiteralExpr(t.Position, true),
                    "false" or "False" => new LiteralExpr(t.Position, false),
                    "none" or "None" => new LiteralExpr(t.Position, null),
                    _ => new NameExpr(t.Position, t.Value),
                };
            case TokenKind.Operator when t.Value == "(":
                return ParseParenthesized();
            case TokenKind.Operator when t.Value == "[":
                Next();
                return new ListExpr(t.Position, ParseSequence("]"), IsTuple: false);
            case TokenKind.Operator when t.Value == "{":
                return ParseDict();
            default:
                throw Error($"unexpected {t} in expression", t);
        }
    }

    private Expr ParseParenthesized()
    {
        var open = Next();
        Enter(open);
        if (AcceptOperator(")"))
        {
            _depth--;
            return new ListExpr(open.Position, [], IsTuple: true);
        }
        var first = ParseExpression();
        Expr result;
        if (Current.IsOperator(","))
        {
            var items = new List<Expr> { first };
            while (AcceptOperator(","))
            {
                if (Current.IsOperator(")"))
                {
                    break;
                }
                items.Add(ParseExpression());
            }
            result = new ListExpr(open.Position, items, IsTuple: true);
        }
        else
        {
            result = first;
        }
        Expect(TokenKind.Operator, ")");
        _depth--;
        return result;
    }

    private List<Expr> ParseSequence(string close)
    {
        Enter(Current);
        var items = new List<Expr>();
        while (!AcceptOperator(close))
        {
            if (items.Count > 0)
            {
                Expect(TokenKind.Operator, ",");
                if (AcceptOperator(close))
                {
                    break;
                }
            }
            items.Add(ParseExpression());
        }
        _depth--;
        return items;
    }

    private DictExpr ParseDict()
    {
        var open = Next();
        Enter(open);
        var pairs = new List<(Expr, Expr)>();
        while (!AcceptOperator("}"))
        {
            if (pairs.Count > 0)
            {
                Expect(TokenKind.Operator, ",");
                if (AcceptOperator("}"))
                {
                    break;
                }
            }
            var key = ParseExpression();
            Expect(TokenKind.Operator, ":");
            pairs.Add((key, ParseExpression()));
        }
        _depth--;
        return new DictExpr(open.Position, pairs);
    }

    private Expr ParsePostfix(Expr node)
    {
        int chain = 0;
        while (true)
        {
            var t = Current;
            if (t.Kind == TokenKind.Operator && t.Value is "." or "[" or "(")
            {
                Enter(t);
                chain++;
            }
            if (t.IsOperator("."))
            {
                Next();
                var name = Current;
                if (name.Kind == TokenKind.Integer)
                {
                    Next();
                    node = new ItemExpr(node.Position, node, new LiteralExpr(name.Position, long.Parse(name.Value, CultureInfo.InvariantCulture)));
                }
                else
                {
                    node = new AttributeExpr(node.Position, node, ExpectName());
                }
            }
            else if (t.IsOperator("["))
            {
                Next();
                Enter(t);
                node = ParseSubscript(node, node);
                _depth--;
            }
            else if (t.IsOperator("("))
            {
                node = new CallExpr(node.Position, node, ParseArguments());
            }
            else
            {
                _depth -= chain;
                return node;
            }
        }
    }

    private Expr ParseSubscript(Expr open, Expr target)
    {
        Expr? start = null;
        if (!Current.IsOperator(":"))
        {
            start = ParseExpression();
            if (AcceptOperator("]"))
            {
                return new ItemExpr(open.Position, target, start);
            }
        }
        Expect(TokenKind.Operator, ":");
        Expr? stop = Current.IsOperator(":") || Current.IsOperator("]") ? null : ParseExpression();
        Expr? step = null;
        if (AcceptOperator(":"))
        {
            step = Current.IsOperator("]") ? null : ParseExpression();
        }
        Expect(TokenKind.Operator, "]");
        return new SliceExpr(open.Position, target, start, stop, step);
    }

    /// <summary>Parses <c>(a, b, key=value)</c>; the current token is the opening parenthesis.</summary>
    private ArgumentList ParseArguments()
    {
        var open = Expect(TokenKind.Operator, "(");
        Enter(open);
        var positional = new List<Expr>();
        var keywords = new List<(string, Expr)>();
        while (!AcceptOperator(")"))
        {
            if (positional.Count + keywords.Count > 0)
            {
                Expect(TokenKind.Operator, ",");
                if (AcceptOperator(")"))
                {
                    break;
                }
            }
            if (Current.Kind == TokenKind.Name && Peek().IsOperator("="))
            {
                string name = Next().Value;
                Next();
                keywords.Add((name, ParseExpression()));
            }
            else
            {
                if (keywords.Count > 0)
                {
                    throw Error("positional argument after a keyword argument", Current);
                }
                positional.Add(ParseExpression());
            }
        }
        _depth--;
        return new ArgumentList(positional, keywords);
    }

    private Expr ParseFiltersAndTests(Expr node)
    {
        int chain = 0;
        while (true)
        {
            var t = Current;
            if (t.IsOperator("|") || t.IsName("is"))
            {
                Enter(t);
                chain++;
            }
            if (t.IsOperator("|"))
            {
                Next();
                string name = ParseDottedName();
                var args = Current.IsOperator("(") ? ParseArguments() : ArgumentList.Empty;
                node = new FilterExpr(t.Position, node, name, args);
            }
            else if (t.IsName("is"))
            {
                Next();
                bool negated = AcceptName("not");
                var nameToken = Current;
                string name = nameToken.Kind == TokenKind.Name ? ParseDottedName()
                    : nameToken.Kind == TokenKind.Operator && nameToken.Value is "==" or "!=" or "<" or ">" or "<=" or ">=" ? Next().Value
                    : throw Error($"expected a test name after 'is' but found {nameToken}", nameToken);
                ArgumentList args;
                if (Current.IsOperator("("))
                {
                    args = ParseArguments();
                }
                else if (StartsTestArgument(Current))
                {
                    // Jinja allows one argument without parentheses: `x is divisibleby 3`, `x is sameas false`.
                    args = new ArgumentList([ParsePostfix(ParsePrimary())], []);
                }
                else
                {
                    args = ArgumentList.Empty;
                }
                node = new TestExpr(t.Position, node, name, args, negated);
            }
            else
            {
                _depth -= chain;
                return node;
            }
        }
    }

    private static bool StartsTestArgument(Token t) => t.Kind switch
    {
        TokenKind.String or TokenKind.Integer or TokenKind.Float => true,
        TokenKind.Name => t.Value is not ("and" or "or" or "if" or "else" or "is" or "in" or "not"),
        TokenKind.Operator => t.Value is "[" or "{",
        _ => false,
    };

    private string ParseDottedName()
    {
        string name = ExpectName();
        while (Current.IsOperator(".") && Peek().Kind == TokenKind.Name)
        {
            Next();
            name += "." + Next().Value;
        }
        return name;
    }
}
