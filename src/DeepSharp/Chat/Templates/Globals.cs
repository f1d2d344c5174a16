using System.Globalization;

namespace DeepSharp.Chat.Templates;

/// <summary>
/// The global functions chat templates call: Jinja's <c>namespace</c>, <c>range</c> and <c>dict</c>, and the
/// transformers additions <c>raise_exception</c> and <c>strftime_now</c>.
/// </summary>
internal static class Globals
{
    public static void AddTo(Scope scope)
    {
        scope.Set("namespace", new Callable("namespace", (_, a) => MakeNamespace(a)));
        scope.Set("dict", new Callable("dict", (_, a) => MakeDict(a)));
        scope.Set("range", new Callable("range", Range));
        scope.Set("raise_exception", new Callable("raise_exception", (_, a) =>
            throw new TemplateRaise(ValueOps.ToStr(a.Get(0, "message", "")))));
        scope.Set("strftime_now", new Callable("strftime_now", (ev, a) =>
            Strftime.Format(ev.Now, ValueOps.ToStr(a.Get(0, "format", "")))));
    }

    private static Namespace MakeNamespace(CallArguments a)
    {
        var ns = new Namespace();
        if (a.Positional.Count > 1)
        {
            throw new TemplateRuntimeError($"namespace expected at most 1 positional argument, got {a.Positional.Count}");
        }
        if (a.Positional.Count == 1)
        {
            foreach (var (k, v) in MakeDict(new CallArguments(a.Positional, new Dictionary<string, object?>())))
            {
                ns.Attributes[k] = v;
            }
        }
        foreach (var (k, v) in a.Keywords)
        {
            ns.Attributes[k] = v;
        }
        return ns;
    }

    private static OrderedDictionary<string, object?> MakeDict(CallArguments a)
    {
        var d = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        if (a.Positional.Count == 1)
        {
            var source = a.Positional[0];
            if (source is OrderedDictionary<string, object?> other)
            {
                foreach (var (k, v) in other)
                {
                    d[k] = v;
                }
            }
            else
            {
                foreach (var pair in ValueOps.Iterate(source))
                {
                    if (pair is not List<object?> { Count: 2 } kv || kv[0] is not string key)
                    {
                        throw new TemplateRuntimeError("dict() needs a mapping or (key, value) pairs with string keys");
                    }
                    d[key] = kv[1];
                }
            }
        }
        else if (a.Positional.Count > 1)
        {
            throw new TemplateRuntimeError("dict expected at most 1 positional argument");
        }
        foreach (var (k, v) in a.Keywords)
        {
            d[k] = v;
        }
        return d;
    }

    private static List<object?> Range(Evaluator ev, CallArguments a)
    {
        long start = 0, stop, step = 1;
        var p = a.Positional;
        switch (p.Count)
        {
            case 1: stop = ValueOps.ToLong(p[0]); break;
            case 2: start = ValueOps.ToLong(p[0]); stop = ValueOps.ToLong(p[1]); break;
            case 3: start = ValueOps.ToLong(p[0]); stop = ValueOps.ToLong(p[1]); step = ValueOps.ToLong(p[2]); break;
            default: throw new TemplateRuntimeError($"range expected 1 to 3 arguments, got {p.Count}");
        }
        if (step == 0)
        {
            throw new TemplateRuntimeError("range() arg 3 must not be zero");
        }
        double count = Math.Max(0, Math.Ceiling(((double)stop - start) / step));
        ev.CheckSize((long)Math.Min(count, long.MaxValue));
        var result = new List<object?>((int)count);
        for (long i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            result.Add(i);
        }
        return result;
    }
}
