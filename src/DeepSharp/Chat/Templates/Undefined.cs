namespace DeepSharp.Chat.Templates;

/// <summary>
/// Jinja's undefined value: what a missing variable, key or attribute evaluates to. It prints as nothing, is
/// false, iterates as empty and passes <c>is defined</c> as false; using it in arithmetic or reading an
/// attribute of it is an error, as in Jinja's default <c>Undefined</c>.
/// </summary>
internal sealed class Undefined
{
    /// <summary>An undefined value with no name (the else-less conditional, the unset macro argument).</summary>
    public static readonly Undefined Anonymous = new("value");

    public Undefined(string description) => Description = description;

    /// <summary>What was missing, such as <c>'foo' is undefined</c> or <c>dict object has no attribute 'x'</c>.</summary>
    public string Description { get; }

    public static Undefined ForName(string name) => new($"'{name}' is undefined");

    public static Undefined ForMember(object? owner, string member) =>
        new($"{ValueOps.TypeName(owner)} object has no attribute '{member}'");

    public override string ToString() => "";
}
