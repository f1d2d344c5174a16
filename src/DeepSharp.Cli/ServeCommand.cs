using System.CommandLine;
using DeepSharp.Engine;
using DeepSharp.Inference;
using DeepSharp.Server;

namespace DeepSharp.Cli;

/// <summary>
/// <c>deepsharp serve [MODEL] [--host 127.0.0.1] [--port 8080] [--api-key KEY] [--parallel N] [--ctx N] [--cache-dir DIR]</c>:
/// an OpenAI- and DeepSeek-compatible HTTP server with a web chat page at <c>/</c>. Ctrl+C stops it.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var model = ModelPathArgument.Create();
        var host = new Option<string>("--host") { Description = "Address to listen on (an IP address or localhost; 0.0.0.0 for every interface)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port") { Description = "TCP port; 0 picks a free one", DefaultValueFactory = _ => 8080 };
        var apiKey = new Option<string?>("--api-key") { Description = "Require 'Authorization: Bearer KEY' on API calls (default: the DEEPSHARP_API_KEY environment variable, else none)" };
        var parallel = new Option<int>("--parallel") { Description = "Requests generating at the same time (KV cache slots, decoded together in one batched pass)", DefaultValueFactory = _ => 4 };
        var queue = new Option<int>("--queue") { Description = "Requests that may wait for a slot before the server answers 429", DefaultValueFactory = _ => 64 };
        var context = new Option<int>("--ctx") { Description = "Context length per slot; 0 for the model's (capped at 4096)" };
        var cacheDir = new Option<string?>("--cache-dir") { Description = "Folder where reusable prompt prefixes (their KV rows) are kept, so a restarted server still hits them; default: memory only" };
        var command = new Command("serve", "Serve a model over an OpenAI-compatible HTTP API, with a web chat page") { model, host, port, apiKey, parallel, queue, context, cacheDir };
        command.SetAction(async (r, _) => await CliErrors.GuardAsync(() => RunAsync(
            ModelPathArgument.Resolve(r.GetValue(model)),
            new EngineOptions
            {
                Session = new SessionOptions { ContextLength = r.GetValue(context) },
                ParallelSlots = r.GetValue(parallel),
                QueueLimit = r.GetValue(queue),
                PrefixCacheDirectory = r.GetValue(cacheDir),
                Log = message => Console.Error.WriteLine($"deepsharp: {message}"),
            },
            new DeepSharpServerOptions
            {
                Host = r.GetValue(host)!,
                Port = r.GetValue(port),
                ApiKey = r.GetValue(apiKey) ?? Environment.GetEnvironmentVariable("DEEPSHARP_API_KEY"),
                QueueCapacity = r.GetValue(queue),
            })));
        return command;
    }

    private static async Task<int> RunAsync(string path, EngineOptions engineOptions, DeepSharpServerOptions options)
    {
        using var engine = ChatEngine.Load(path, engineOptions);
        await using var server = await DeepSharpServer.StartAsync(engine, options);
        Console.Error.WriteLine($"deepsharp: serving {engine.ModelId} ({Path.GetFileName(path)}, context {engine.ContextLength}) at {server.BaseAddress} with {engineOptions.ParallelSlots} slots");
        Console.Error.WriteLine($"deepsharp: chat page {server.BaseAddress} · API {server.BaseAddress}v1 · Ctrl+C stops");
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            await server.WaitForShutdownAsync(stop.Token).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        Console.Error.WriteLine("deepsharp: stopping");
        await server.StopAsync();
        return 0;
    }
}
