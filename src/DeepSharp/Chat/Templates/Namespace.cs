namespace DeepSharp.Chat.Templates;

/// <summary>
/// The mutable object made by <c>namespace(...)</c>: the only value whose attributes a template may assign
/// (<c>{% set ns.x = 1 %}</c>), which is how templates carry state out of loops.
/// </summary>
internal sealed class Namespace
{
    public OrderedDictionary<string, object?> Attributes { get; } = new(StringComparer.Ordinal);
}
