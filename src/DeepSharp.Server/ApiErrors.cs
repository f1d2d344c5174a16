using DeepSharp.Chat;
using DeepSharp.Engine;
using DeepSharp.Inference;
using Microsoft.AspNetCore.Http;

namespace DeepSharp.Server;

/// <summary>Turns whatever a request ran into into the OpenAI error the client should see.</summary>
internal static class ApiErrors
{
    /// <summary>The error for <paramref name="exception"/>, or null when the client has gone and nobody is listening.</summary>
    public static ApiException? From(Exception exception, ServerState state, HttpContext context) => exception switch
    {
        ApiException api => api,
        BadHttpRequestException bad => new ApiException(bad.StatusCode, bad.Message, code: bad.StatusCode == 413 ? "request_too_large" : null),
        ContextFullException full => ContextExceeded(full.Message),
        EngineBusyException busy => new ApiException(429, $"The server is busy: {busy.Message}", type: "rate_limit_error", code: "rate_limit_exceeded")
        {
            RetryAfterSeconds = Math.Max(1, (int)Math.Ceiling(busy.RetryAfter.TotalSeconds)),
        },
        ChatTemplateException template => new ApiException(400, $"The chat template rejected the conversation: {template.Message}", param: "messages"),
        OperationCanceledException when state.ShuttingDown => ShuttingDown(),
        OperationCanceledException when context.RequestAborted.IsCancellationRequested => null,
        ArgumentException argument => new ApiException(400, argument.Message),
        _ => new ApiException(500, $"The server failed on this request: {exception.Message}", type: "server_error", code: "internal_error"),
    };

    public static ApiException ContextExceeded(string message) =>
        new(400, message, code: "context_length_exceeded", param: "messages");

    public static ApiException ShuttingDown() =>
        new(503, "The server is shutting down", type: "server_error", code: "service_unavailable") { RetryAfterSeconds = 5 };

    public static ApiException QueueFull(int capacity) =>
        new(429, $"The server is busy: all slots are taken and {capacity} requests are already waiting; retry shortly",
            type: "rate_limit_error", code: "rate_limit_exceeded") { RetryAfterSeconds = 1 };
}
