using System.Text;

namespace DeepSharp.Chat.Templates;

/// <summary>
/// The Python methods templates call on strings (<c>split</c>, <c>strip</c>, <c>startswith</c>, ...) and dicts
/// (<c>get</c>, <c>items</c>, ...). Only side-effect-free methods exist, as in transformers' immutable sandbox.
/// </summary>
internal static class Methods
{
    public static bool TryBind(object? target, string name, out Callable method)
    {
        Func<Evaluator, CallArguments, object?>? body = target switch
        {
            string s => StringMethod(s, name),
            OrderedDictionary<string, object?> d => DictMethod(d, name),
            _ => null,
        };
        method = body is null ? null! : new Callable(name, body);
        return body is not null;
    }

    private static Func<Evaluator, CallArguments, object?>? DictMethod(OrderedDictionary<string, object?> d, string name) => name switch
    {
        "get" => (_, a) => a.Get(0, "key") is string k && d.TryGetValue(k, out var v) ? v : a.Get(1, "default"),
        "items" => (_, _) => d.Select(kv => (object?)new List<object?> { kv.Key, kv.Value }).ToList(),
        "keys" => (_, _) => d.Keys.Select(k => (object?)k).ToList(),
        "values" => (_, _) => d.Values.ToList(),
        _ => null,
    };

    private static Func<Evaluator, CallArguments, object?>? StringMethod(string s, string name) => name switch
    {
        "strip" => (_, a) => Strip(s, a.Get(0, "chars"), true, true),
        "lstrip" => (_, a) => Strip(s, a.Get(0, "chars"), true, false),
        "rstrip" => (_, a) => Strip(s, a.Get(0, "chars"), false, true),
        "split" => (_, a) => Split(s, a.Get(0, "sep"), MaxSplit(a)),
        "rsplit" => (_, a) => RSplit(s, a.Get(0, "sep"), MaxSplit(a)),
        "splitlines" => (_, _) => SplitLines(s),
        "startswith" => (_, a) => Affix(s, a.Get(0, "prefix"), (x, p) => x.StartsWith(p, StringComparison.Ordinal)),
        "endswith" => (_, a) => Affix(s, a.Get(0, "suffix"), (x, p) => x.EndsWith(p, StringComparison.Ordinal)),
        "upper" => (_, _) => s.ToUpperInvariant(),
        "lower" => (_, _) => s.ToLowerInvariant(),
        "title" => (_, _) => Title(s),
        "capitalize" => (_, _) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant(),
        "replace" => (ev, a) => Replace(ev, s, Str(a.Get(0, "old")), Str(a.Get(1, "new")), a.Get(2, "count", -1L)),
        "find" => (_, a) => (long)s.IndexOf(Str(a.Get(0, "sub")), StringComparison.Ordinal),
        "rfind" => (_, a) => (long)s.LastIndexOf(Str(a.Get(0, "sub")), StringComparison.Ordinal),
        "count" => (_, a) => CountOf(s, Str(a.Get(0, "sub"))),
        "join" => (ev, a) => Join(ev, s, a.Get(0, "iterable")),
        "isdigit" => (_, _) => s.Length > 0 && s.All(char.IsDigit),
        "isalpha" => (_, _) => s.Length > 0 && s.All(char.IsLetter),
        "isalnum" => (_, _) => s.Length > 0 && s.All(char.IsLetterOrDigit),
        "isspace" => (_, _) => s.Length > 0 && s.All(char.IsWhiteSpace),
        "islower" => (_, _) => s.Any(char.IsLetter) && s.ToLowerInvariant() == s,
        "isupper" => (_, _) => s.Any(char.IsLetter) && s.ToUpperInvariant() == s,
        _ => null,
    };

    private static string Str(object? v) => v as string
        ?? throw new TemplateRuntimeError($"expected a string argument, got {ValueOps.TypeName(v)}");

    private static long MaxSplit(CallArguments a) => a.Get(1, "maxsplit", -1L) is long n
        ? n
        : throw new TemplateRuntimeError("maxsplit must be an integer");

    public static string Strip(string s, object? chars, bool left, bool right)
    {
        Func<char, bool> strip = chars switch
        {
            null or Undefined => char.IsWhiteSpace,
            string set => set.Contains,
            _ => throw new TemplateRuntimeError($"strip arg must be None or str, not {ValueOps.TypeName(chars)}"),
        };
        int start = 0, end = s.Length;
        while (left && start < end && strip(s[start]))
        {
            start++;
        }
        while (right && end > start && strip(s[end - 1]))
        {
            end--;
        }
        return s[start..end];
    }

    /// <summary>Python's <c>str.split(sep=None, maxsplit=-1)</c>.</summary>
    public static List<object?> Split(string s, object? sep, long maxSplit)
    {
        var parts = new List<object?>();
        if (sep is null or Undefined)
        {
            int i = 0;
            while (true)
            {
                while (i < s.Length && char.IsWhiteSpace(s[i]))
                {
                    i++;
                }
                if (i >= s.Length)
                {
                    break;
                }
                if (maxSplit >= 0 && parts.Count == maxSplit)
                {
                    parts.Add(s[i..]);
                    break;
                }
                int j = i;
                while (j < s.Length && !char.IsWhiteSpace(s[j]))
                {
                    j++;
                }
                parts.Add(s[i..j]);
                i = j;
            }
            return parts;
        }
        string separator = sep as string ?? throw new TemplateRuntimeError($"must be str or None, not {ValueOps.TypeName(sep)}");
        if (separator.Length == 0)
        {
            throw new TemplateRuntimeError("empty separator");
        }
        int pos = 0;
        while (maxSplit < 0 || parts.Count < maxSplit)
        {
            int at = s.IndexOf(separator, pos, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }
            parts.Add(s[pos..at]);
            pos = at + separator.Length;
        }
        parts.Add(s[pos..]);
        return parts;
    }

    private static List<object?> RSplit(string s, object? sep, long maxSplit)
    {
        if (maxSplit < 0)
        {
            return Split(s, sep, -1);
        }
        var parts = new List<object?>();
        if (sep is null or Undefined)
        {
            int i = s.Length;
            while (true)
            {
                while (i > 0 && char.IsWhiteSpace(s[i - 1]))
                {
                    i--;
                }
                if (i == 0)
                {
                    break;
                }
                if (parts.Count == maxSplit)
                {
                    parts.Add(s[..i]);
                    break;
                }
                int j = i;
                while (j > 0 && !char.IsWhiteSpace(s[j - 1]))
                {
                    j--;
                }
                parts.Add(s[j..i]);
                i = j;
            }
            parts.Reverse();
            return parts;
        }
        string separator = sep as string ?? throw new TemplateRuntimeError($"must be str or None, not {ValueOps.TypeName(sep)}");
        if (separator.Length == 0)
        {
            throw new TemplateRuntimeError("empty separator");
        }
        int end = s.Length;
        while (parts.Count < maxSplit && end >= separator.Length)
        {
            int at = s.LastIndexOf(separator, end - 1, end, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }
            parts.Add(s[(at + separator.Length)..end]);
            end = at;
        }
        parts.Add(s[..end]);
        parts.Reverse();
        return parts;
    }

    private static List<object?> SplitLines(string s)
    {
        var lines = new List<object?>();
        int start = 0;
        for (int i = 0; i < s.Length; i++)
        {
            if (s[i] is '\n' or '\r')
            {
                lines.Add(s[start..i]);
                if (s[i] == '\r' && i + 1 < s.Length && s[i + 1] == '\n')
                {
                    i++;
                }
                start = i + 1;
            }
        }
        if (start < s.Length)
        {
            lines.Add(s[start..]);
        }
        return lines;
    }

    private static bool Affix(string s, object? affix, Func<string, string, bool> test) => affix switch
    {
        string a => test(s, a),
        List<object?> options => options.Any(o => test(s, Str(o))),
        _ => throw new TemplateRuntimeError($"expected a string or a tuple of strings, got {ValueOps.TypeName(affix)}"),
    };

    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool previousIsLetter = false;
        foreach (char c in s)
        {
            sb.Append(previousIsLetter ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
            previousIsLetter = char.IsLetter(c);
        }
        return sb.ToString();
    }

    public static string Replace(Evaluator ev, string s, string oldValue, string newValue, object? count)
    {
        long limit = count is long n ? n : -1;
        var sb = new StringBuilder();
        long done = 0;
        if (oldValue.Length == 0)
        {
            // Python inserts the replacement before every character and at the end.
            for (int i = 0; i <= s.Length; i++)
            {
                if (limit < 0 || done < limit)
                {
                    sb.Append(newValue);
                    done++;
                }
                if (i < s.Length)
                {
                    sb.Append(s[i]);
                }
                ev.CheckSize(sb.Length);
            }
            return sb.ToString();
        }
        int pos = 0;
        while (limit < 0 || done < limit)
        {
            int at = s.IndexOf(oldValue, pos, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }
            sb.Append(s, pos, at - pos).Append(newValue);
            ev.CheckSize(sb.Length + (long)s.Length - at);
            done++;
            pos = at + oldValue.Length;
        }
        sb.Append(s, pos, s.Length - pos);
        return sb.ToString();
    }

    private static long CountOf(string s, string sub)
    {
        if (sub.Length == 0)
        {
            return CodePoints.Count(s) + 1;
        }
        long n = 0;
        for (int at = s.IndexOf(sub, StringComparison.Ordinal); at >= 0; at = s.IndexOf(sub, at + sub.Length, StringComparison.Ordinal))
        {
            n++;
        }
        return n;
    }

    private static string Join(Evaluator ev, string separator, object? iterable)
    {
        var items = ValueOps.Iterate(iterable);
        var sb = new StringBuilder();
        for (int i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(separator);
            }
            sb.Append(items[i] as string ?? throw new TemplateRuntimeError($"sequence item {i}: expected str instance, {ValueOps.TypeName(items[i])} found"));
            ev.CheckSize(sb.Length);
        }
        return sb.ToString();
    }
}
