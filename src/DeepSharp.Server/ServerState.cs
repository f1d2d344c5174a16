namespace DeepSharp.Server;

/// <summary>Everything the endpoints share: the model, the settings, the admission gate, the metrics, and the shutdown signal.</summary>
internal sealed class ServerState(ServedModel model, DeepSharpServerOptions options) : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();

    public ServedModel Model { get; } = model;

    public DeepSharpServerOptions Options { get; } = options;

    public AdmissionGate Gate { get; } = new(options.Parallel > 0 ? options.Parallel : model.Engine.Options.ParallelSlots, options.QueueCapacity);

    public ServerMetrics Metrics { get; } = new();

    /// <summary>Cancelled when the server begins to shut down: new requests get 503 and running ones end.</summary>
    public CancellationToken Stopping => _stopping.Token;

    public bool ShuttingDown => _stopping.IsCancellationRequested;

    public void BeginShutdown()
    {
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed: nothing is running any more.
        }
    }

    public void Dispose()
    {
        Gate.Dispose();
        _stopping.Dispose();
    }
}
