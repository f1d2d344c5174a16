using System.Globalization;
using System.Text;

namespace DeepSharp.Chat.Templates;

/// <summary>
/// The filters (<c>value | name(args)</c>) that chat templates use, with Jinja's behaviour; <c>tojson</c> is the
/// transformers variant (no HTML escaping, <c>ensure_ascii=False</c>).
/// </summary>
internal static class Filters
{
    public static object? Apply(Evaluator ev, string name, object? value, CallArguments a)
    {
        switch (name)
        {
            case "default" or "d":
            {
                bool boolean = ValueOps.IsTrue(a.Get(1, "boolean", false));
                bool missing = value is Undefined || (boolean && !ValueOps.IsTrue(value));
                return missing ? a.Get(0, "default_value", "") : value;
            }
            case "tojson":
                return ToJson(value, a);
            case "trim":
                return Methods.Strip(ValueOps.ToStr(value), a.Get(0, "chars"), true, true);
            case "length" or "count":
                return ValueOps.Length(value);
            case "string":
                return ValueOps.ToStr(value);
            case "upper":
                return ValueOps.ToStr(value).ToUpperInvariant();
            case "lower":
                return ValueOps.ToStr(value).ToLowerInvariant();
            case "capitalize" or "title":
                return Methods.TryBind(ValueOps.ToStr(value), name, out var m) ? m.Invoke(ev, CallArguments.None) : null;
            case "replace":
                return Methods.Replace(ev, ValueOps.ToStr(value), ValueOps.ToStr(a.Get(0, "old")), ValueOps.ToStr(a.Get(1, "new")), a.Get(2, "count"));
            case "safe":
                return value;
            case "join":
                return Join(ev, value, a);
            case "first":
            {
                var items = ValueOps.Iterate(value);
                return items.Count > 0 ? items[0] : new Undefined("no first item, sequence was empty");
            }
            case "last":
            {
                var items = ValueOps.Iterate(value);
                return items.Count > 0 ? items[^1] : new Undefined("no last item, sequence was empty");
            }
            case "list":
                return ValueOps.Iterate(value);
            case "reverse":
                return value is string s ? string.Concat(CodePoints.ToArray(s).Reverse()) : Enumerable.Reverse(ValueOps.Iterate(value)).ToList();
            case "items":
                return value is Undefined ? new List<object?>() : Items(value);
            case "dictsort":
                return DictSort(value, a);
            case "sort":
                return Sort(value, a);
            case "unique":
                return Unique(value, a);
            case "map":
                return Map(ev, value, a);
            case "select" or "reject":
                return Select(ev, value, a, attribute: false, keep: name == "select");
            case "selectattr" or "rejectattr":
                return Select(ev, value, a, attribute: true, keep: name == "selectattr");
            case "attr":
                return Members.GetAttribute(value, ValueOps.ToStr(a.Get(0, "name")));
            case "int":
                return ToInt(value, a.Get(0, "default", 0L));
            case "float":
                return ToFloat(value, a.Get(0, "default", 0.0));
            case "abs":
                return value switch
                {
                    long l => (object)Math.Abs(l),
                    double d => Math.Abs(d),
                    bool b => b ? 1L : 0L,
                    _ => throw new TemplateRuntimeError($"bad operand type for abs(): '{ValueOps.TypeName(value)}'"),
                };
            case "round":
                return Round(value, a);
            case "sum":
                return Sum(value, a);
            case "min" or "max":
                return Extreme(value, a, name == "max");
            case "indent":
                return Indent(ValueOps.ToStr(value), a);
            case "wordcount":
                return (long)Methods.Split(ValueOps.ToStr(value), null, -1).Count;
            default:
                throw new TemplateRuntimeError($"unknown filter '{name}'");
        }
    }

    private static string ToJson(object? value, CallArguments a)
    {
        long? indent = a.Get(0, "indent") switch
        {
            null => null,
            long n => n,
            var other => throw new TemplateRuntimeError($"tojson indent must be an integer, not {ValueOps.TypeName(other)}"),
        };
        string? itemSep = null, keySep = null;
        if (a.Get(2, "separators") is List<object?> { Count: 2 } seps)
        {
            itemSep = ValueOps.ToStr(seps[0]);
            keySep = ValueOps.ToStr(seps[1]);
        }
        var formatter = new JsonFormatter(indent, ValueOps.IsTrue(a.Get(1, "ensure_ascii", false)), ValueOps.IsTrue(a.Get(3, "sort_keys", false)), itemSep, keySep);
        return formatter.Format(value);
    }

    private static List<object?> Items(object? value) => value switch
    {
        OrderedDictionary<string, object?> d => d.Select(kv => (object?)new List<object?> { kv.Key, kv.Value }).ToList(),
        Namespace ns => ns.Attributes.Select(kv => (object?)new List<object?> { kv.Key, kv.Value }).ToList(),
        _ => throw new TemplateRuntimeError($"can only get items of a mapping, not {ValueOps.TypeName(value)}"),
    };

    private static string Join(Evaluator ev, object? value, CallArguments a)
    {
        string separator = ValueOps.ToStr(a.Get(0, "d", ""));
        object? attribute = a.Get(1, "attribute");
        var sb = new StringBuilder();
        bool first = true;
        foreach (var item in ValueOps.Iterate(value))
        {
            if (!first)
            {
                sb.Append(separator);
            }
            first = false;
            sb.Append(ValueOps.ToStr(attribute is null ? item : Lookup(item, attribute)));
            ev.CheckSize(sb.Length);
        }
        return sb.ToString();
    }

    /// <summary>Jinja's attribute getter for <c>map</c>/<c>selectattr</c>/<c>sort</c>: dotted paths, integer parts.</summary>
    private static object? Lookup(object? item, object? attribute)
    {
        if (attribute is long index)
        {
            return Members.GetItem(item, index);
        }
        foreach (string part in ValueOps.ToStr(attribute).Split('.'))
        {
            item = long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out long i) ? Members.GetItem(item, i) : Members.GetItem(item, part);
        }
        return item;
    }

    private static object? SortKey(object? item, object? attribute, bool caseSensitive)
    {
        var key = attribute is null ? item : Lookup(item, attribute);
        return !caseSensitive && key is string s ? s.ToLowerInvariant() : key;
    }

    private static List<object?> Sort(object? value, CallArguments a)
    {
        bool reverse = ValueOps.IsTrue(a.Get(0, "reverse", false));
        bool caseSensitive = ValueOps.IsTrue(a.Get(1, "case_sensitive", false));
        object? attribute = a.Get(2, "attribute");
        var items = ValueOps.Iterate(value);
        var sorted = items.OrderBy(x => SortKey(x, attribute, caseSensitive), Comparer<object?>.Create(ValueOps.Compare)).ToList();
        if (reverse)
        {
            sorted.Reverse();
        }
        return sorted;
    }

    private static List<object?> DictSort(object? value, CallArguments a)
    {
        bool caseSensitive = ValueOps.IsTrue(a.Get(0, "case_sensitive", false));
        bool byValue = ValueOps.ToStr(a.Get(1, "by", "key")) == "value";
        bool reverse = ValueOps.IsTrue(a.Get(2, "reverse", false));
        var pairs = Items(value);
        var sorted = pairs.OrderBy(p => SortKey(((List<object?>)p!)[byValue ? 1 : 0], null, caseSensitive), Comparer<object?>.Create(ValueOps.Compare)).ToList();
        if (reverse)
        {
            sorted.Reverse();
        }
        return sorted;
    }

    private static List<object?> Unique(object? value, CallArguments a)
    {
        bool caseSensitive = ValueOps.IsTrue(a.Get(0, "case_sensitive", false));
        object? attribute = a.Get(1, "attribute");
        var seen = new List<object?>();
        var result = new List<object?>();
        foreach (var item in ValueOps.Iterate(value))
        {
            var key = SortKey(item, attribute, caseSensitive);
            if (!seen.Exists(k => ValueOps.AreEqual(k, key)))
            {
                seen.Add(key);
                result.Add(item);
            }
        }
        return result;
    }

    private static List<object?> Map(Evaluator ev, object? value, CallArguments a)
    {
        var items = ValueOps.Iterate(value);
        if (a.Positional.Count == 0 && a.Keywords.TryGetValue("attribute", out var attribute))
        {
            bool hasDefault = a.Keywords.TryGetValue("default", out var fallback);
            return items.Select(x =>
            {
                var v = Lookup(x, attribute);
                return hasDefault && v is Undefined ? fallback : v;
            }).ToList();
        }
        if (a.Positional.Count == 0 || a.Positional[0] is not string filter)
        {
            throw new TemplateRuntimeError("map needs a filter name or attribute=");
        }
        var rest = new CallArguments(a.Positional.Skip(1).ToList(), a.Keywords);
        return items.Select(x => Apply(ev, filter, x, rest)).ToList();
    }

    private static List<object?> Select(Evaluator ev, object? value, CallArguments a, bool attribute, bool keep)
    {
        int next = 0;
        object? attr = attribute ? a.Get(next++, "attribute") : null;
        string? test = a.Positional.Count > next ? ValueOps.ToStr(a.Positional[next++]) : null;
        var rest = new CallArguments(a.Positional.Skip(next).ToList(), new Dictionary<string, object?>());
        var result = new List<object?>();
        foreach (var item in ValueOps.Iterate(value))
        {
            var subject = attribute ? Lookup(item, attr) : item;
            bool passed = test is null ? ValueOps.IsTrue(subject) : Tests.Run(ev, test, subject, rest);
            if (passed == keep)
            {
                result.Add(item);
            }
        }
        return result;
    }

    private static object? ToInt(object? value, object? fallback) => value switch
    {
        long or bool => ValueOps.ToLong(value),
        double d when double.IsFinite(d) && Math.Abs(d) < 9.2e18 => (long)Math.Truncate(d),
        string s when long.TryParse(s.Trim().Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long l) => l,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && double.IsFinite(d) && Math.Abs(d) < 9.2e18 => (long)Math.Truncate(d),
        _ => fallback,
    };

    private static object? ToFloat(object? value, object? fallback) => value switch
    {
        long or bool or double => ValueOps.ToDouble(value),
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double d) => d,
        _ => fallback,
    };

    private static double Round(object? value, CallArguments a)
    {
        double v = ValueOps.ToDouble(value);
        int precision = (int)Math.Clamp(ValueOps.ToLong(a.Get(0, "precision", 0L)), 0, 15);
        string method = ValueOps.ToStr(a.Get(1, "method", "common"));
        double scale = Math.Pow(10, precision);
        return method switch
        {
            "common" => Math.Round(v * scale, MidpointRounding.AwayFromZero) / scale,
            "ceil" => Math.Ceiling(v * scale) / scale,
            "floor" => Math.Floor(v * scale) / scale,
            _ => throw new TemplateRuntimeError("round method must be 'common', 'ceil' or 'floor'"),
        };
    }

    private static object? Sum(object? value, CallArguments a)
    {
        object? attribute = a.Get(0, "attribute");
        object? total = a.Get(1, "start", 0L);
        foreach (var item in ValueOps.Iterate(value))
        {
            var v = attribute is null ? item : Lookup(item, attribute);
            total = total is double || v is double ? ValueOps.ToDouble(total) + ValueOps.ToDouble(v) : (object)checked(ValueOps.ToLong(total) + ValueOps.ToLong(v));
        }
        return total;
    }

    private static object? Extreme(object? value, CallArguments a, bool max)
    {
        bool caseSensitive = ValueOps.IsTrue(a.Get(0, "case_sensitive", false));
        object? attribute = a.Get(1, "attribute");
        var items = ValueOps.Iterate(value);
        if (items.Count == 0)
        {
            return new Undefined("no items in an empty sequence");
        }
        var best = items[0];
        foreach (var item in items.Skip(1))
        {
            int c = ValueOps.Compare(SortKey(item, attribute, caseSensitive), SortKey(best, attribute, caseSensitive));
            if (max ? c > 0 : c < 0)
            {
                best = item;
            }
        }
        return best;
    }

    private static string Indent(string s, CallArguments a)
    {
        var width = a.Get(0, "width", 4L);
        string indentation = width is string w ? w : new string(' ', (int)Math.Clamp(ValueOps.ToLong(width), 0, 256));
        bool first = ValueOps.IsTrue(a.Get(1, "first", false));
        bool blank = ValueOps.IsTrue(a.Get(2, "blank", false));
        var lines = Methods.Split(s + "\n", "\n", -1);
        lines.RemoveAt(lines.Count - 1);
        var sb = new StringBuilder();
        for (int i = 0; i < lines.Count; i++)
        {
            string line = (string)lines[i]!;
            if (i > 0)
            {
                sb.Append('\n');
            }
            if ((i > 0 || first) && (blank || line.Length > 0))
            {
                sb.Append(indentation);
            }
            sb.Append(line);
        }
        return sb.ToString();
    }
}
