namespace DeepSharp.Chat.Templates;

/// <summary>Binary arithmetic, concatenation and comparison operators with Python's rules.</summary>
internal static class Operators
{
    public static object? Binary(Evaluator ev, string op, object? a, object? b)
    {
        if (op == "~")
        {
            string sa = ValueOps.ToStr(a), sb = ValueOps.ToStr(b);
            ev.CheckSize((long)sa.Length + sb.Length);
            return sa + sb;
        }
        if (a is Undefined ua)
        {
            throw new TemplateRuntimeError(ua.Description);
        }
        if (b is Undefined ub)
        {
            throw new TemplateRuntimeError(ub.Description);
        }
        switch (op)
        {
            case "+":
                if (a is string s1 && b is string s2)
                {
                    ev.CheckSize((long)s1.Length + s2.Length);
                    return s1 + s2;
                }
                if (a is List<object?> l1 && b is List<object?> l2)
                {
                    ev.CheckSize((long)l1.Count + l2.Count);
                    return new List<object?>([.. l1, .. l2]);
                }
                break;
            case "*":
                if (a is string || a is List<object?>)
                {
                    return Repeat(ev, a, b);
                }
                if (b is string || b is List<object?>)
                {
                    return Repeat(ev, b, a);
                }
                break;
        }
        if (!ValueOps.IsNumber(a) || !ValueOps.IsNumber(b))
        {
            throw new TemplateRuntimeError($"unsupported operand type(s) for {op}: '{ValueOps.TypeName(a)}' and '{ValueOps.TypeName(b)}'");
        }
        return a is double || b is double || op == "/" ? FloatOp(op, ValueOps.ToDouble(a), ValueOps.ToDouble(b)) : IntOp(op, ValueOps.ToLong(a), ValueOps.ToLong(b));
    }

    private static object Repeat(Evaluator ev, object seq, object? count)
    {
        if (count is not (long or bool))
        {
            throw new TemplateRuntimeError($"can't multiply sequence by non-int of type '{ValueOps.TypeName(count)}'");
        }
        long n = Math.Max(0, ValueOps.ToLong(count));
        if (seq is string s)
        {
            ev.CheckSize(s.Length * n);
            return string.Concat(Enumerable.Repeat(s, (int)n));
        }
        var list = (List<object?>)seq;
        ev.CheckSize(list.Count * n);
        var result = new List<object?>();
        for (long i = 0; i < n; i++)
        {
            result.AddRange(list);
        }
        return result;
    }

    private static object IntOp(string op, long a, long b)
    {
        try
        {
            checked
            {
                switch (op)
                {
                    case "+": return a + b;
                    case "-": return a - b;
                    case "*": return a * b;
                    case "//":
                        if (b == 0)
                        {
                            throw new TemplateRuntimeError("integer division or modulo by zero");
                        }
                        return FloorDiv(a, b);
                    case "%":
                        if (b == 0)
                        {
                            throw new TemplateRuntimeError("integer division or modulo by zero");
                        }
                        return a - (FloorDiv(a, b) * b);
                    case "**":
                        if (b < 0)
                        {
                            return Math.Pow(a, b);
                        }
                        long result = 1, factor = a;
                        for (long e = b; e > 0; e >>= 1)
                        {
                            if ((e & 1) == 1)
                            {
                                result *= factor;
                            }
                            if (e > 1)
                            {
                                factor *= factor;
                            }
                        }
                        return result;
                }
            }
        }
        catch (OverflowException)
        {
            throw new TemplateRuntimeError("integer overflow");
        }
        throw new TemplateRuntimeError($"unknown operator {op}");
    }

    private static long FloorDiv(long a, long b)
    {
        long q = a / b;
        return (a % b != 0) && ((a < 0) != (b < 0)) ? q - 1 : q;
    }

    private static double FloatOp(string op, double a, double b)
    {
        if (b == 0 && op is "/" or "//" or "%")
        {
            throw new TemplateRuntimeError("float division by zero");
        }
        return op switch
        {
            "+" => a + b,
            "-" => a - b,
            "*" => a * b,
            "/" => a / b,
            "//" => Math.Floor(a / b),
            "%" => a - (Math.Floor(a / b) * b),
            "**" => Math.Pow(a, b),
            _ => throw new TemplateRuntimeError($"unknown operator {op}"),
        };
    }

    /// <summary>One link of a comparison chain.</summary>
    public static bool Compare(string op, object? a, object? b) => op switch
    {
        "==" => ValueOps.AreEqual(a, b),
        "!=" => !ValueOps.AreEqual(a, b),
        "in" => ValueOps.Contains(b, a),
        "not in" => !ValueOps.Contains(b, a),
        "<" => Order(a, b) < 0,
        ">" => Order(a, b) > 0,
        "<=" => Order(a, b) <= 0,
        ">=" => Order(a, b) >= 0,
        _ => throw new TemplateRuntimeError($"unknown comparison {op}"),
    };

    private static int Order(object? a, object? b)
    {
        if (a is Undefined ua)
        {
            throw new TemplateRuntimeError(ua.Description);
        }
        if (b is Undefined ub)
        {
            throw new TemplateRuntimeError(ub.Description);
        }
        return ValueOps.Compare(a, b);
    }
}
