[assembly: AssemblyFixture(typeof(DeepSharp.Server.Tests.SharedServer))]

namespace DeepSharp.Server.Tests;

/// <summary>A server with default settings on the shared engine, started once for the whole test assembly.</summary>
public sealed class SharedServer : IAsyncLifetime
{
    private DeepSharpServer? _server;

    public Uri BaseAddress => _server!.BaseAddress;

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(60) };

    public async ValueTask InitializeAsync()
    {
        _server = await TestModel.StartServerAsync();
        Http.BaseAddress = _server.BaseAddress;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
