namespace DeepSharp.Chat;

/// <summary>
/// Bounds on one render, so that a hostile or broken template fails with a <see cref="ChatTemplateException"/>
/// instead of hanging or exhausting memory.
/// </summary>
public sealed record ChatTemplateLimits
{
    /// <summary>The defaults: far above what any real chat template needs for a long conversation.</summary>
    public static ChatTemplateLimits Default { get; } = new();

    /// <summary>Longest string (the output, or any value built while rendering), in UTF-16 units.</summary>
    public int MaxOutputLength { get; init; } = 16 * 1024 * 1024;

    /// <summary>Total loop iterations and macro calls allowed in one render.</summary>
    public long MaxSteps { get; init; } = 2_000_000;

    /// <summary>Deepest nesting of macro calls (guards against unbounded recursion).</summary>
    public int MaxCallDepth { get; init; } = 64;
}
