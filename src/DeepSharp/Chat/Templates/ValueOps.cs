using System.Globalization;
using System.Text;

namespace DeepSharp.Chat.Templates;

/// <summary>
/// Python semantics for template values. Values are: <c>null</c> (None), <see cref="Undefined"/>, bool, long,
/// double, string, <c>List&lt;object?&gt;</c> (list or tuple), <c>OrderedDictionary&lt;string, object?&gt;</c>
/// (dict), <see cref="Namespace"/> and <see cref="Callable"/>.
/// </summary>
internal static class ValueOps
{
    public static string TypeName(object? v) => v switch
    {
        null => "NoneType",
        Undefined => "Undefined",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        List<object?> => "list",
        OrderedDictionary<string, object?> => "dict",
        Namespace => "Namespace",
        Callable => "function",
        _ => v.GetType().Name,
    };

    public static bool IsTrue(object? v) => v switch
    {
        null or Undefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        List<object?> list => list.Count > 0,
        OrderedDictionary<string, object?> dict => dict.Count > 0,
        _ => true,
    };

    public static bool IsNumber(object? v) => v is long or double or bool;

    public static double ToDouble(object? v) => v switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw new TemplateRuntimeError($"expected a number, got {TypeName(v)}"),
    };

    public static long ToLong(object? v) => v switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw new TemplateRuntimeError($"expected an integer, got {TypeName(v)}"),
    };

    /// <summary>Python's <c>==</c>.</summary>
    public static bool AreEqual(object? a, object? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }
        if (a is Undefined || b is Undefined)
        {
            return a is Undefined && b is Undefined;
        }
        if (IsNumber(a) && IsNumber(b))
        {
            return a is double || b is double ? ToDouble(a) == ToDouble(b) : ToLong(a) == ToLong(b);
        }
        if (a is string sa && b is string sb)
        {
            return string.Equals(sa, sb, StringComparison.Ordinal);
        }
        if (a is List<object?> la && b is List<object?> lb)
        {
            if (la.Count != lb.Count)
            {
                return false;
            }
            for (int i = 0; i < la.Count; i++)
            {
                if (!AreEqual(la[i], lb[i]))
                {
                    return false;
                }
            }
            return true;
        }
        if (a is OrderedDictionary<string, object?> da && b is OrderedDictionary<string, object?> db)
        {
            if (da.Count != db.Count)
            {
                return false;
            }
            foreach (var (k, v) in da)
            {
                if (!db.TryGetValue(k, out var w) || !AreEqual(v, w))
                {
                    return false;
                }
            }
            return true;
        }
        return ReferenceEquals(a, b);
    }

    /// <summary>Python's ordering (<c>&lt;</c> and friends) for numbers, strings and lists.</summary>
    public static int Compare(object? a, object? b)
    {
        if (IsNumber(a) && IsNumber(b))
        {
            return a is double || b is double ? ToDouble(a).CompareTo(ToDouble(b)) : ToLong(a).CompareTo(ToLong(b));
        }
        if (a is string sa && b is string sb)
        {
            return string.CompareOrdinal(sa, sb);
        }
        if (a is List<object?> la && b is List<object?> lb)
        {
            for (int i = 0; i < Math.Min(la.Count, lb.Count); i++)
            {
                if (!AreEqual(la[i], lb[i]))
                {
                    return Compare(la[i], lb[i]);
                }
            }
            return la.Count.CompareTo(lb.Count);
        }
        throw new TemplateRuntimeError($"cannot compare {TypeName(a)} with {TypeName(b)}");
    }

    /// <summary>Python's <c>item in container</c>.</summary>
    public static bool Contains(object? container, object? item) => container switch
    {
        Undefined => false,
        string s when item is string sub => s.Contains(sub, StringComparison.Ordinal),
        string => throw new TemplateRuntimeError($"'in <string>' requires a string as left operand, not {TypeName(item)}"),
        List<object?> list => list.Exists(x => AreEqual(x, item)),
        OrderedDictionary<string, object?> dict => item is string key && dict.ContainsKey(key),
        Namespace ns => item is string key && ns.Attributes.ContainsKey(key),
        _ => throw new TemplateRuntimeError($"argument of type '{TypeName(container)}' is not iterable"),
    };

    /// <summary>Python's <c>len()</c>; strings count code points.</summary>
    public static long Length(object? v) => v switch
    {
        Undefined => 0,
        string s => CodePoints.Count(s),
        List<object?> list => list.Count,
        OrderedDictionary<string, object?> dict => dict.Count,
        Namespace ns => ns.Attributes.Count,
        _ => throw new TemplateRuntimeError($"object of type '{TypeName(v)}' has no len()"),
    };

    /// <summary>The items a <c>for</c> loop visits: list items, dict keys, string characters; none for undefined.</summary>
    public static List<object?> Iterate(object? v) => v switch
    {
        Undefined => [],
        List<object?> list => [.. list],
        OrderedDictionary<string, object?> dict => [.. dict.Keys],
        string s => CodePoints.Split(s),
        _ => throw new TemplateRuntimeError($"'{TypeName(v)}' object is not iterable"),
    };

    /// <summary>Python's <c>str()</c>, which is what <c>{{ }}</c>, <c>~</c> and <c>|string</c> print.</summary>
    public static string ToStr(object? v) => v switch
    {
        string s => s,
        Undefined => "",
        _ => Repr(v),
    };

    /// <summary>Python's <c>repr()</c>, used for items inside printed lists and dicts.</summary>
    public static string Repr(object? v)
    {
        var sb = new StringBuilder();
        AppendRepr(sb, v, 0);
        return sb.ToString();
    }

    private static void AppendRepr(StringBuilder sb, object? v, int depth)
    {
        if (depth > 100)
        {
            throw new TemplateRuntimeError("value nested too deeply to print");
        }
        switch (v)
        {
            case null: sb.Append("None"); break;
            case Undefined: break;
            case bool b: sb.Append(b ? "True" : "False"); break;
            case long l: sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case double d: sb.Append(FormatFloat(d)); break;
            case string s: AppendStringRepr(sb, s); break;
            case List<object?> list:
                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(", ");
                    }
                    AppendRepr(sb, list[i], depth + 1);
                }
                sb.Append(']');
                break;
            case OrderedDictionary<string, object?> dict:
                AppendDictRepr(sb, dict, depth);
                break;
            case Namespace ns:
                sb.Append("<Namespace ");
                AppendDictRepr(sb, ns.Attributes, depth);
                sb.Append('>');
                break;
            default: sb.Append(v.ToString()); break;
        }
    }

    private static void AppendDictRepr(StringBuilder sb, OrderedDictionary<string, object?> dict, int depth)
    {
        sb.Append('{');
        bool first = true;
        foreach (var (k, item) in dict)
        {
            if (!first)
            {
                sb.Append(", ");
            }
            first = false;
            AppendStringRepr(sb, k);
            sb.Append(": ");
            AppendRepr(sb, item, depth + 1);
        }
        sb.Append('}');
    }

    private static void AppendStringRepr(StringBuilder sb, string s)
    {
        char quote = s.Contains('\'') && !s.Contains('"') ? '"' : '\'';
        sb.Append(quote);
        foreach (char c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c == quote)
                    {
                        sb.Append('\\').Append(c);
                    }
                    else if (c < 0x20 || c == 0x7f)
                    {
                        sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }
                    break;
            }
        }
        sb.Append(quote);
    }

    /// <summary>
    /// Python's <c>repr(float)</c>: the shortest text that round-trips, in positional notation for decimal
    /// exponents from -4 to 15 (always with a fractional part) and in scientific notation otherwise.
    /// </summary>
    public static string FormatFloat(double d)
    {
        if (double.IsNaN(d))
        {
            return "nan";
        }
        if (double.IsInfinity(d))
        {
            return d > 0 ? "inf" : "-inf";
        }
        if (d == 0)
        {
            return double.IsNegative(d) ? "-0.0" : "0.0";
        }
        // "E16" is not shortest; "R" is, so take its digits and exponent and lay them out Python's way.
        string r = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        int e = r.IndexOf('E');
        string mantissa = e < 0 ? r : r[..e];
        int exp10 = e < 0 ? 0 : int.Parse(r.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        int dot = mantissa.IndexOf('.');
        string digits = dot < 0 ? mantissa : mantissa.Remove(dot, 1);
        int pointPos = (dot < 0 ? mantissa.Length : dot) + exp10; // decimal point position within digits
        int lead = 0;
        while (lead < digits.Length - 1 && digits[lead] == '0')
        {
            lead++;
        }
        digits = digits[lead..];
        pointPos -= lead;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }
        int sciExp = pointPos - 1;
        var sb = new StringBuilder();
        if (d < 0)
        {
            sb.Append('-');
        }
        if (sciExp < -4 || sciExp >= 16)
        {
            sb.Append(digits[0]);
            if (digits.Length > 1)
            {
                sb.Append('.').Append(digits, 1, digits.Length - 1);
            }
            sb.Append('e').Append(sciExp < 0 ? '-' : '+').Append(Math.Abs(sciExp).ToString("00", CultureInfo.InvariantCulture));
        }
        else if (pointPos <= 0)
        {
            sb.Append("0.").Append('0', -pointPos).Append(digits);
        }
        else if (pointPos >= digits.Length)
        {
            sb.Append(digits).Append('0', pointPos - digits.Length).Append(".0");
        }
        else
        {
            sb.Append(digits, 0, pointPos).Append('.').Append(digits, pointPos, digits.Length - pointPos);
        }
        return sb.ToString();
    }
}
