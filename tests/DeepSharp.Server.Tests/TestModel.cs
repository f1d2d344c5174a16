using DeepSharp.Engine;

namespace DeepSharp.Server.Tests;

/// <summary>The bundled model (a tiny deepseek2 reasoning model that answers arithmetic), loaded once for the assembly or afresh.</summary>
internal static class TestModel
{
    private static readonly Lazy<ChatEngine> s_shared = new(() => Load());

    /// <summary>The bundled model of this checkout: the first models/ folder above the test binaries that holds it.</summary>
    public static string FilePath { get; } = Models.BundledModel.TryLocate(AppContext.BaseDirectory, AppContext.BaseDirectory)
        ?? throw new FileNotFoundException($"{Models.BundledModel.FileName} is not in a models/ folder above {AppContext.BaseDirectory}");

    /// <summary>One engine shared by the servers of many tests (requests on it run one at a time).</summary>
    public static ChatEngine Shared => s_shared.Value;

    /// <summary>A fresh engine with an empty KV cache, for tests that count cache hits or need a reference run.</summary>
    public static ChatEngine Load(EngineOptions? options = null) => ChatEngine.Load(FilePath, options ?? new EngineOptions());

    /// <summary>A server on a free port of 127.0.0.1 over <paramref name="engine"/> (the shared one by default).</summary>
    public static Task<DeepSharpServer> StartServerAsync(DeepSharpServerOptions? options = null, ChatEngine? engine = null) =>
        DeepSharpServer.StartAsync(engine ?? Shared, (options ?? new DeepSharpServerOptions()) with { Port = 0 });
}
