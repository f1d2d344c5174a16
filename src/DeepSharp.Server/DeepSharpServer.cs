using System.Net;
using DeepSharp.Engine;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DeepSharp.Server;

/// <summary>
/// An OpenAI- and DeepSeek-compatible HTTP server over one <see cref="ChatEngine"/>, on Kestrel:
/// <c>/v1/chat/completions</c>, <c>/v1/completions</c>, <c>/v1/models</c>, <c>/health</c>, <c>/metrics</c>,
/// <c>/tokenize</c>, <c>/detokenize</c>, and a web chat page at <c>/</c>.
/// </summary>
/// <example>
/// <code>
/// using var engine = ChatEngine.Load("model.gguf");
/// await using var server = await DeepSharpServer.StartAsync(engine, new DeepSharpServerOptions { Port = 0 });
/// Console.WriteLine(server.BaseAddress);   // http://127.0.0.1:PORT/
/// await server.WaitForShutdownAsync();
/// </code>
/// </example>
public sealed class DeepSharpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ServerState _state;
    private bool _disposed;

    private DeepSharpServer(WebApplication app, ServerState state, Uri baseAddress)
    {
        _app = app;
        _state = state;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the server listens, for example <c>http://127.0.0.1:8080/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The shared state, for tests.</summary>
    internal ServerState State => _state;

    /// <summary>Starts a server on <paramref name="engine"/>; the engine stays the caller's to dispose.</summary>
    /// <exception cref="ArgumentException">The options are invalid (host, port, limits).</exception>
    /// <exception cref="IOException">The address is in use.</exception>
    public static async Task<DeepSharpServer> StartAsync(ChatEngine engine, DeepSharpServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        options ??= new DeepSharpServerOptions();
        Validate(options);
        var state = new ServerState(new ServedModel(engine, options), options);
        var app = Build(state);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            state.Dispose();
            throw;
        }
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new DeepSharpServer(app, state, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Completes when the host shuts down (Ctrl+C, SIGTERM or <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken = default) => _app.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops taking requests (new ones get 503), ends the running ones, and stops listening.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _state.BeginShutdown();
        await _app.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }
        _disposed = true;
        _state.BeginShutdown();
        await _app.DisposeAsync().ConfigureAwait(false);
        _state.Dispose();
    }

    private static void Validate(DeepSharpServerOptions options)
    {
        if (options.Port is < 0 or > 65535)
        {
            throw new ArgumentException($"port {options.Port} is not between 0 and 65535", nameof(options));
        }
        if (options.Parallel < 0 || options.QueueCapacity < 0 || options.MaxBodyBytes < 1 || options.MaxMessages < 1
            || options.MaxTokensLimit < 0 || options.DefaultMaxTokens < 0 || options.KeepAliveInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException("body size, message and keep-alive limits must be positive; parallel, queue capacity and token limits not negative", nameof(options));
        }
        ParseHost(options.Host);
    }

    private static IPAddress? ParseHost(string host) => host switch
    {
        "localhost" => null,
        "*" or "+" => IPAddress.IPv6Any,
        _ => IPAddress.TryParse(host, out var address) ? address : throw new ArgumentException($"host '{host}' is not an IP address or 'localhost'", nameof(host)),
    };

    private static WebApplication Build(ServerState state)
    {
        var options = state.Options;
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], EnvironmentName = Environments.Production, ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(10));
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The API reads bodies itself with its own limit and error. Kestrel's limit is a backstop set well above it,
            // so that after a 413 Kestrel can still drain a modestly oversized body and the client reads the answer
            // instead of a reset connection.
            kestrel.Limits.MaxRequestBodySize = Math.Max(2 * options.MaxBodyBytes, options.MaxBodyBytes + (1 << 20));
            if (ParseHost(options.Host) is IPAddress address)
            {
                kestrel.Listen(address, options.Port);
            }
            else
            {
                kestrel.ListenLocalhost(options.Port);
            }
        });
        builder.Services.AddSingleton(state);
        var app = builder.Build();
        app.Lifetime.ApplicationStopping.Register(state.BeginShutdown);
        app.UseMiddleware<ApiMiddleware>();
        app.MapGet("/", ChatPage.ServeAsync);
        app.MapGet("/health", (HttpContext c) => InfoEndpoints.HealthAsync(c, state));
        app.MapGet("/metrics", (HttpContext c) => InfoEndpoints.MetricsAsync(c, state));
        app.MapGet("/v1/models", (HttpContext c) => InfoEndpoints.ModelsAsync(c, state));
        app.MapGet("/v1/models/{id}", (HttpContext c, string id) => InfoEndpoints.ModelAsync(c, state, id));
        app.MapPost("/v1/chat/completions", (HttpContext c) => ChatCompletionsEndpoint.HandleAsync(c, state));
        app.MapPost("/v1/completions", (HttpContext c) => CompletionsEndpoint.HandleAsync(c, state));
        app.MapPost(MessagesEndpoint.Path, (HttpContext c) => MessagesEndpoint.HandleAsync(c, state));
        app.MapPost("/tokenize", (HttpContext c) => TokenizeEndpoints.TokenizeAsync(c, state));
        app.MapPost("/detokenize", (HttpContext c) => TokenizeEndpoints.DetokenizeAsync(c, state));
        app.Map("/v1/{**rest}", (HttpContext c) =>
            throw new ApiException(404, $"There is no endpoint {c.Request.Method} {c.Request.Path}", code: "unknown_url"));
        return app;
    }
}
