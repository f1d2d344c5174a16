using Jint;
using Jint.Native;
using Jint.Runtime;

namespace DeepSharp.Tests.Chat;

/// <summary>
/// The independent reference renderer: the npm package @huggingface/jinja (the JavaScript Jinja of
/// transformers.js), loaded into the Jint JavaScript interpreter. oracle/fetch.sh fetches it; without it
/// <see cref="Available"/> is false and the live comparisons are skipped (the checked-in goldens still run).
/// Loading takes about two seconds, so tests share one instance through <see cref="JinjaOracleCollection"/>.
/// </summary>
public sealed class JinjaOracle : IDisposable
{
    public const string FetchCommand = "bash tests/DeepSharp.Tests/Chat/oracle/fetch.sh";

    private const string Glue = """
        import { Template } from "hf-jinja";
        const cache = new Map();
        export function render(source, variablesJson) {
            let template = cache.get(source);
            if (!template) {
                template = new Template(source);
                cache.set(source, template);
            }
            return template.render(JSON.parse(variablesJson));
        }
        """;

    private readonly Jint.Engine? _engine;
    private readonly JsValue? _render;
    private readonly Lock _lock = new();

    public JinjaOracle()
    {
        if (!File.Exists(ModulePath))
        {
            return;
        }
        _engine = new Jint.Engine(options => options.TimeoutInterval(TimeSpan.FromSeconds(30)));
        _engine.Modules.Add("hf-jinja", File.ReadAllText(ModulePath));
        _engine.Modules.Add("oracle", Glue);
        _render = _engine.Modules.Import("oracle").Get("render");
    }

    public static string ModulePath =>
        Path.Combine(TestPaths.RepoRoot, "tests", "DeepSharp.Tests", "Chat", "oracle", "huggingface-jinja", "package", "dist", "index.js");

    public bool Available => _engine is not null;

    /// <summary>Skips the calling test when the oracle has not been fetched.</summary>
    public void RequireAvailable()
    {
        if (!Available)
        {
            Assert.Skip($"@huggingface/jinja is not fetched; run `{FetchCommand}`");
        }
    }

    /// <summary>Renders with the reference; a template error comes back as <see cref="OracleResult.Error"/>.</summary>
    public OracleResult Render(string template, string variablesJson)
    {
        lock (_lock)
        {
            try
            {
                return new OracleResult(_engine!.Invoke(_render!, template, variablesJson).AsString(), null);
            }
            catch (JavaScriptException e)
            {
                return new OracleResult(null, e.Message);
            }
        }
    }

    public void Dispose() => _engine?.Dispose();
}

/// <summary>Shares one <see cref="JinjaOracle"/> (two seconds to load) among the test classes that use it.</summary>
[CollectionDefinition(Name)]
public sealed class JinjaOracleCollection : ICollectionFixture<JinjaOracle>
{
    public const string Name = "JinjaOracle";
}
