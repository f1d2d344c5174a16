using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DeepSharp.Server;

/// <summary>Reads a request body as one JSON object, refusing bodies over the size limit (413) and malformed JSON (400).</summary>
internal static class RequestBody
{
    private static readonly JsonDocumentOptions s_options = new() { MaxDepth = 64 };

    public static async Task<JsonDocument> ReadObjectAsync(HttpContext context, long maxBytes)
    {
        var request = context.Request;
        if (request.ContentLength > maxBytes)
        {
            throw TooLarge(maxBytes);
        }
        var buffer = new ArrayBufferWriter<byte>((int)Math.Min(request.ContentLength ?? 4096, maxBytes) + 1);
        while (true)
        {
            var memory = buffer.GetMemory(4096);
            int read = await request.Body.ReadAsync(memory, context.RequestAborted).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }
            buffer.Advance(read);
            if (buffer.WrittenCount > maxBytes)
            {
                throw TooLarge(maxBytes);
            }
        }
        if (buffer.WrittenCount == 0)
        {
            throw new ApiException(400, "The request body is empty; send a JSON object", code: "invalid_json");
        }
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(buffer.WrittenMemory, s_options);
        }
        catch (JsonException e)
        {
            throw new ApiException(400, $"The request body is not valid JSON: {e.Message}", code: "invalid_json");
        }
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            throw new ApiException(400, "The request body must be a JSON object", code: "invalid_json");
        }
        return document;
    }

    private static ApiException TooLarge(long maxBytes) =>
        new(413, $"The request body is larger than the limit of {maxBytes} bytes", code: "request_too_large");
}
