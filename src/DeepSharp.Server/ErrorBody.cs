using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DeepSharp.Server;

/// <summary>Writes errors in OpenAI's JSON shape, as a response body or as one SSE event of a stream that already started.</summary>
internal static class ErrorBody
{
    /// <summary>
    /// Writes <c>{"error":{...}}</c> with <paramref name="error"/>'s fields to <paramref name="writer"/>, or Anthropic's
    /// <c>{"type":"error","error":{"type","message"}}</c> when <paramref name="anthropic"/>.
    /// </summary>
    public static void Write(Utf8JsonWriter writer, ApiException error, bool anthropic = false)
    {
        if (anthropic)
        {
            writer.WriteStartObject();
            writer.WriteString("type", "error");
            writer.WriteStartObject("error");
            writer.WriteString("type", AnthropicType(error.Status));
            writer.WriteString("message", error.Message);
            writer.WriteEndObject();
            writer.WriteEndObject();
            return;
        }
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", error.Message);
        writer.WriteString("type", error.Type);
        writer.WriteStringOrNull("param", error.Param);
        writer.WriteStringOrNull("code", error.Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Sends <paramref name="error"/> as the whole response, unless the response has already started.</summary>
    public static async Task SendAsync(HttpContext context, ApiException error)
    {
        bool anthropic = context.Request.Path == MessagesEndpoint.Path;
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }
        response.Clear();
        response.StatusCode = error.Status;
        if (error.RetryAfterSeconds is int seconds)
        {
            response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        response.ContentType = "application/json";
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, ServerJson.WriterOptions))
        {
            Write(writer, error, anthropic);
        }
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static string AnthropicType(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 => "overloaded_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };
}
