namespace DeepSharp.Chat.Templates;

/// <summary>
/// A value that can be called from a template: a macro, a global function such as <c>namespace</c>, or a
/// method bound to its receiver (<c>'a,b'.split</c>).
/// </summary>
internal sealed class Callable
{
    private readonly Func<Evaluator, CallArguments, object?> _body;

    public Callable(string name, Func<Evaluator, CallArguments, object?> body)
    {
        Name = name;
        _body = body;
    }

    public string Name { get; }

    public object? Invoke(Evaluator evaluator, CallArguments arguments) => _body(evaluator, arguments);

    public override string ToString() => $"<function {Name}>";
}
