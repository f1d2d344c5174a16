using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DeepSharp.Server;

/// <summary>
/// Writes a <c>text/event-stream</c> response the way OpenAI's clients read it: <c>data: JSON</c> events, <c>: keep-alive</c>
/// comments while nothing else is ready, and a final <c>data: [DONE]</c>. Every write is flushed at once.
/// </summary>
internal sealed class SseWriter(HttpResponse response, CancellationToken cancellationToken)
{
    private static readonly byte[] s_eventPrefix = "event: "u8.ToArray();
    private static readonly byte[] s_dataPrefix = "data: "u8.ToArray();
    private static readonly byte[] s_eventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] s_keepAlive = ": keep-alive\n\n"u8.ToArray();
    private static readonly byte[] s_done = "data: [DONE]\n\n"u8.ToArray();
    private readonly ArrayBufferWriter<byte> _buffer = new();

    /// <summary>Sends the status line and headers.</summary>
    public async Task StartAsync()
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends one <c>data:</c> event whose JSON <paramref name="write"/> produces, named <paramref name="name"/> (Anthropic's style) when given.</summary>
    public Task WriteEventAsync(Action<Utf8JsonWriter> write, string? name = null)
    {
        _buffer.ResetWrittenCount();
        if (name is not null)
        {
            _buffer.Write(s_eventPrefix);
            System.Text.EncodingExtensions.GetBytes(System.Text.Encoding.UTF8, name, _buffer);
            _buffer.Write("\n"u8);
        }
        _buffer.Write(s_dataPrefix);
        using (var writer = new Utf8JsonWriter(_buffer, ServerJson.WriterOptions))
        {
            write(writer);
        }
        _buffer.Write(s_eventEnd);
        return SendAsync(_buffer.WrittenMemory);
    }

    /// <summary>Sends a <c>: keep-alive</c> comment, which clients ignore but proxies see as traffic.</summary>
    public Task WriteKeepAliveAsync() => SendAsync(s_keepAlive);

    /// <summary>Sends <c>data: [DONE]</c>.</summary>
    public Task WriteDoneAsync() => SendAsync(s_done);

    /// <summary>Sends an error event (OpenAI's error body as the data) for a stream that has already started.</summary>
    public Task WriteErrorAsync(ApiException error) => WriteEventAsync(w => ErrorBody.Write(w, error));

    private async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        await response.Body.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
