using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace DeepSharp.Server.Tests;

/// <summary>
/// Headless Debian Chromium driven over the Chrome DevTools Protocol (a minimal client: commands over one WebSocket,
/// replies matched by id). Enough to load a page, run JavaScript in it and take a screenshot.
/// </summary>
internal sealed partial class CdpBrowser : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _receiver = Task.CompletedTask;
    private int _nextId;

    private CdpBrowser(Process process, string profile)
    {
        _process = process;
        _profile = profile;
    }

    /// <summary>The browser binary, or null when none is installed.</summary>
    public static string? Executable { get; } = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists);

    /// <summary>Starts a headless browser with a fresh profile and attaches to its first tab.</summary>
    public static async Task<CdpBrowser> LaunchAsync(CancellationToken cancellationToken)
    {
        string profile = Directory.CreateTempSubdirectory("deepsharp-chromium-").FullName;
        var info = new ProcessStartInfo(Executable!) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string arg in (string[])["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--remote-debugging-port=0", "--remote-allow-origins=*", "--window-size=1100,800", $"--user-data-dir={profile}", "about:blank"])
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        var browser = new CdpBrowser(process, profile);
        try
        {
            // Chromium announces "DevTools listening on ws://127.0.0.1:PORT/devtools/browser/ID" on standard error.
            int port = 0;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            while (port == 0)
            {
                string? line = await process.StandardError.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("chromium exited before it opened its DevTools port");
                var match = DevToolsLine().Match(line);
                if (match.Success)
                {
                    port = int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            _ = process.StandardError.ReadToEndAsync(CancellationToken.None);   // keep draining so chromium never blocks on a full pipe
            _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            using var http = new HttpClient();
            string? pageSocket = null;
            while (pageSocket is null)
            {
                var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list", timeout.Token))!.AsArray();
                pageSocket = targets.FirstOrDefault(t => (string?)t!["type"] == "page")?["webSocketDebuggerUrl"]?.GetValue<string>();
                if (pageSocket is null)
                {
                    await Task.Delay(50, timeout.Token);
                }
            }
            await browser._socket.ConnectAsync(new Uri(pageSocket), timeout.Token);
            browser._receiver = browser.ReceiveAsync();
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends one command and returns its <c>result</c>.</summary>
    public async Task<JsonNode> SendAsync(string method, object? parameters = null, CancellationToken cancellationToken = default)
    {
        int id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonNode>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        byte[] message = JsonSerializer.SerializeToUtf8Bytes(new { id, method, @params = parameters ?? new { } });
        await _socket.SendAsync(message, WebSocketMessageType.Text, true, cancellationToken);
        return await reply.Task.WaitAsync(TimeSpan.FromSeconds(30), cancellationToken);
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (awaiting a promise) and returns its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, CancellationToken cancellationToken = default)
    {
        var result = await SendAsync("Runtime.evaluate", new { expression, returnByValue = true, awaitPromise = true }, cancellationToken);
        if (result["exceptionDetails"] is JsonNode error)
        {
            throw new InvalidOperationException($"page script failed: {error.ToJsonString()}");
        }
        return result["result"]?["value"];
    }

    /// <summary>Evaluates <paramref name="expression"/> every 50 ms until it is true.</summary>
    public async Task WaitForAsync(string expression, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        while ((await EvaluateAsync(expression, cancellationToken))?.GetValue<bool>() != true)
        {
            if (clock.Elapsed > timeout)
            {
                throw new TimeoutException($"the page never satisfied: {expression}");
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>A PNG of the viewport.</summary>
    public async Task<byte[]> ScreenshotAsync(CancellationToken cancellationToken = default)
    {
        var result = await SendAsync("Page.captureScreenshot", new { format = "png" }, cancellationToken);
        return Convert.FromBase64String(result["data"]!.GetValue<string>());
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2));
            }
        }
        catch (Exception e) when (e is WebSocketException or TimeoutException or OperationCanceledException)
        {
            // The browser is being killed anyway.
        }
        _socket.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        }
        _process.Dispose();
        await _receiver.ContinueWith(_ => { }, TaskScheduler.Default);
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // A profile file still held open; the temp folder is cleaned up eventually.
        }
        _stop.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            var received = await _socket.ReceiveAsync(buffer, _stop.Token);
            if (received.MessageType == WebSocketMessageType.Close)
            {
                break;
            }
            message.Write(buffer, 0, received.Count);
            if (!received.EndOfMessage)
            {
                continue;
            }
            var node = JsonNode.Parse(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length))!;
            message.SetLength(0);
            if (node["id"] is JsonNode id && _pending.TryRemove(id.GetValue<int>(), out var reply))
            {
                if (node["error"] is JsonNode error)
                {
                    reply.SetException(new InvalidOperationException($"CDP error: {error.ToJsonString()}"));
                }
                else
                {
                    reply.SetResult(node["result"] ?? new JsonObject());
                }
            }
        }
    }

    [GeneratedRegex(@"DevTools listening on ws://[^:]+:(\d+)/")]
    private static partial Regex DevToolsLine();
}
