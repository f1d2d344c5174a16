namespace DeepSharp.Chat.Templates;

/// <summary>
/// A frame of variables. Lookups walk outwards; assignments stay in the frame, which gives Jinja's rule
/// that <c>set</c> inside a loop or macro does not change the variable outside it.
/// </summary>
internal sealed class Scope
{
    private readonly Dictionary<string, object?> _variables = new(StringComparer.Ordinal);

    public Scope(Scope? parent) => Parent = parent;

    public Scope? Parent { get; }

    public bool TryGet(string name, out object? value)
    {
        for (var s = this; s is not null; s = s.Parent)
        {
            if (s._variables.TryGetValue(name, out value))
            {
                return true;
            }
        }
        value = null;
        return false;
    }

    public void Set(string name, object? value) => _variables[name] = value;
}
