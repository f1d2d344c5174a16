using DeepSharp.Engine;

namespace DeepSharp.Server;

/// <summary>The engine behind the server and the names it answers to.</summary>
internal sealed class ServedModel(ChatEngine engine, DeepSharpServerOptions options)
{
    public ChatEngine Engine { get; } = engine;

    /// <summary>The model's own id (GGUF <c>general.name</c>).</summary>
    public string Id => Engine.ModelId;

    /// <summary>Further names that select it.</summary>
    public IReadOnlyList<string> Aliases { get; } = [.. options.ModelAliases.Where(a => a != engine.ModelId).Distinct()];

    /// <summary>Largest <c>max_tokens</c> accepted.</summary>
    public int MaxTokensLimit { get; } = options.MaxTokensLimit > 0 ? options.MaxTokensLimit : engine.ContextLength;

    /// <summary>New tokens when a request names no limit.</summary>
    public int DefaultMaxTokens { get; } = options.DefaultMaxTokens > 0 ? options.DefaultMaxTokens : engine.ContextLength;

    /// <summary>
    /// Checks a requested model name and returns whether it asks for thinking by default
    /// (<c>deepseek-chat</c> is DeepSeek's non-thinking mode; every other name thinks).
    /// </summary>
    /// <exception cref="ApiException">404 for a name this server does not serve.</exception>
    public bool Resolve(string? name)
    {
        if (name is null || name == Id || Aliases.Contains(name))
        {
            return name != DeepSharpServerOptions.ChatModelAlias;
        }
        throw new ApiException(404, $"The model '{name}' does not exist; this server serves '{Id}' (also as {string.Join(", ", Aliases.Select(a => $"'{a}'"))})",
            code: "model_not_found", param: "model");
    }
}
