namespace DeepSharp.Chat.Templates;

/// <summary>
/// Attribute access, subscripts and slices with Jinja's lookup rules: <c>a.b</c> and <c>a['b']</c> both reach
/// dict keys and methods; anything missing is <see cref="Undefined"/>, and only touching an undefined value
/// itself is an error.
/// </summary>
internal static class Members
{
    public static object? GetAttribute(object? target, string name) => target switch
    {
        Undefined u => throw new TemplateRuntimeError(u.Description),
        Namespace ns => ns.Attributes.TryGetValue(name, out var v) ? v : Undefined.ForMember(target, name),
        OrderedDictionary<string, object?> dict =>
            Methods.TryBind(dict, name, out var method) ? method
            : dict.TryGetValue(name, out var v) ? v
            : Undefined.ForMember(target, name),
        _ => Methods.TryBind(target, name, out var m) ? m : Undefined.ForMember(target, name),
    };

    public static object? GetItem(object? target, object? key)
    {
        switch (target)
        {
            case Undefined u:
                throw new TemplateRuntimeError(u.Description);
            case OrderedDictionary<string, object?> dict when key is string k:
                return dict.TryGetValue(k, out var v) ? v : Methods.TryBind(dict, k, out var m) ? m : Undefined.ForMember(target, k);
            case Namespace ns when key is string k:
                return ns.Attributes.TryGetValue(k, out var nv) ? nv : Undefined.ForMember(target, k);
            case List<object?> list when key is long or bool:
            {
                long i = Normalize(ValueOps.ToLong(key), list.Count);
                return i >= 0 && i < list.Count ? list[(int)i] : new Undefined($"list object has no element {key}");
            }
            case string s when key is long or bool:
            {
                var chars = CodePoints.ToArray(s);
                long i = Normalize(ValueOps.ToLong(key), chars.Length);
                return i >= 0 && i < chars.Length ? chars[i] : new Undefined($"str object has no element {key}");
            }
            default:
                return key is string attr ? GetAttributeOrUndefined(target, attr) : new Undefined($"{ValueOps.TypeName(target)} object has no element {ValueOps.Repr(key)}");
        }
    }

    private static object? GetAttributeOrUndefined(object? target, string name) =>
        Methods.TryBind(target, name, out var m) ? m : Undefined.ForMember(target, name);

    private static long Normalize(long index, int count) => index < 0 ? index + count : index;

    /// <summary>Python's <c>seq[start:stop:step]</c> for lists and strings.</summary>
    public static object? Slice(object? target, long? start, long? stop, long? step)
    {
        if (target is Undefined u)
        {
            throw new TemplateRuntimeError(u.Description);
        }
        long st = step ?? 1;
        if (st == 0)
        {
            throw new TemplateRuntimeError("slice step cannot be zero");
        }
        IReadOnlyList<object?> items = target switch
        {
            List<object?> list => list,
            string s => CodePoints.ToArray(s),
            _ => throw new TemplateRuntimeError($"'{ValueOps.TypeName(target)}' object is not subscriptable"),
        };
        int n = items.Count;
        long lo, hi;
        if (st > 0)
        {
            lo = Clamp(start ?? 0, n, 0, n);
            hi = Clamp(stop ?? n, n, 0, n);
        }
        else
        {
            lo = Clamp(start ?? n - 1, n, -1, n - 1);
            hi = stop is null ? -1 : Clamp(stop.Value, n, -1, n - 1);
        }
        var result = new List<object?>();
        for (long i = lo; st > 0 ? i < hi : i > hi; i += st)
        {
            result.Add(items[(int)i]);
        }
        return target is string ? string.Concat(result.Cast<string>()) : result;
    }

    private static long Clamp(long index, int n, long min, long max)
    {
        if (index < 0)
        {
            index += n;
        }
        return Math.Clamp(index, min, max);
    }
}
