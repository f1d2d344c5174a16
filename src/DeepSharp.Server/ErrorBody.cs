using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DeepSharp.Server;

/// <summary>Writes errors in OpenAI's JSON shape, as a response body or as one SSE event of a stream that already started.</summary>
internal static class ErrorBody
{
    /// <summary>Writes <c>{"error":{...}}</c> with <paramref name="error"/>'s fields to <paramref name="writer"/>.</summary>
    public static void Write(Utf8JsonWriter writer, ApiException error)
    {
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", error.Message);
        writer.WriteString("type", error.Type);
        WriteNullable(writer, "param", error.Param);
        WriteNullable(writer, "code", error.Code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Sends <paramref name="error"/> as the whole response, unless the response has already started.</summary>
    public static async Task SendAsync(HttpContext context, ApiException error)
    {
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
            Write(writer, error);
        }
        await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteNullable(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
