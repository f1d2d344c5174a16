namespace DeepSharp.Chat.Templates;

/// <summary>The Jinja tests (<c>value is name(args)</c>) that chat templates use.</summary>
internal static class Tests
{
    public static bool Run(Evaluator ev, string name, object? value, CallArguments a) => name switch
    {
        "defined" => value is not Undefined,
        "undefined" => value is Undefined,
        "none" => value is null,
        "true" => value is true,
        "false" => value is false,
        "boolean" => value is bool,
        "string" => value is string,
        "number" => value is long or double,
        "integer" => value is long,
        "float" => value is double,
        "mapping" => value is OrderedDictionary<string, object?>,
        "iterable" => value is string or List<object?> or OrderedDictionary<string, object?>,
        "sequence" => value is string or List<object?> or OrderedDictionary<string, object?>,
        "callable" => value is Callable,
        "odd" => ValueOps.ToLong(value) % 2 != 0,
        "even" => ValueOps.ToLong(value) % 2 == 0,
        "divisibleby" => ValueOps.ToLong(a.Get(0, "num")) is var n && n != 0 ? ValueOps.ToLong(value) % n == 0 : throw new TemplateRuntimeError("divisibleby 0"),
        "lower" => value is string s && s.ToLowerInvariant() == s,
        "upper" => value is string s && s.ToUpperInvariant() == s,
        "equalto" or "eq" or "==" => ValueOps.AreEqual(value, a.Get(0, "other")),
        "sameas" => SameAs(value, a.Get(0, "other")),
        "ne" or "!=" => !ValueOps.AreEqual(value, a.Get(0, "other")),
        "lt" or "lessthan" or "<" => Operators.Compare("<", value, a.Get(0, "other")),
        "le" or "<=" => Operators.Compare("<=", value, a.Get(0, "other")),
        "gt" or "greaterthan" or ">" => Operators.Compare(">", value, a.Get(0, "other")),
        "ge" or ">=" => Operators.Compare(">=", value, a.Get(0, "other")),
        "in" => ValueOps.Contains(a.Get(0, "seq"), value),
        _ => throw new TemplateRuntimeError($"unknown test '{name}'"),
    };

    // Python's `is`: identity, which for the immutable singletons (None, True, False) is equality.
    private static bool SameAs(object? a, object? b) => a is null || a is bool || a is Undefined
        ? a is null ? b is null : a is bool x ? b is bool y && x == y : ReferenceEquals(a, b)
        : ReferenceEquals(a, b);
}
