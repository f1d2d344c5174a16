namespace DeepSharp.Chat.Templates;

/// <summary>The evaluated arguments of a call, filter or test, with Python-style binding helpers.</summary>
internal sealed class CallArguments
{
    public static readonly CallArguments None = new([], new Dictionary<string, object?>());

    public CallArguments(IReadOnlyList<object?> positional, IReadOnlyDictionary<string, object?> keywords)
    {
        Positional = positional;
        Keywords = keywords;
    }

    public IReadOnlyList<object?> Positional { get; }

    public IReadOnlyDictionary<string, object?> Keywords { get; }

    /// <summary>The argument at <paramref name="index"/> or named <paramref name="name"/>, else <paramref name="fallback"/>.</summary>
    public object? Get(int index, string name, object? fallback = null)
    {
        if (index < Positional.Count)
        {
            return Positional[index];
        }
        return Keywords.TryGetValue(name, out var v) ? v : fallback;
    }

    public bool Has(int index, string name) => index < Positional.Count || Keywords.ContainsKey(name);
}
