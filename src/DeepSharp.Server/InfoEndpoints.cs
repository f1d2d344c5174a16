using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DeepSharp.Server;

/// <summary>The small read-only endpoints: <c>/v1/models</c>, <c>/health</c>, <c>/metrics</c>.</summary>
internal static class InfoEndpoints
{
    private static readonly long s_created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static Task ModelsAsync(HttpContext context, ServerState state) => JsonAsync(context, w =>
    {
        w.WriteStartObject();
        w.WriteString("object", "list");
        w.WriteStartArray("data");
        foreach (string name in Names(state.Model))
        {
            WriteModel(w, name);
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static Task ModelAsync(HttpContext context, ServerState state, string id)
    {
        if (!Names(state.Model).Contains(id))
        {
            throw new ApiException(404, $"The model '{id}' does not exist", code: "model_not_found", param: "model");
        }
        return JsonAsync(context, w => WriteModel(w, id));
    }

    public static Task HealthAsync(HttpContext context, ServerState state)
    {
        context.Response.StatusCode = state.ShuttingDown ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status200OK;
        return JsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("status", state.ShuttingDown ? "shutting_down" : "ok");
            w.WriteString("model", state.Model.Id);
            w.WriteNumber("slots_total", state.Gate.Parallel);
            w.WriteNumber("slots_running", state.Gate.Running);
            w.WriteNumber("requests_waiting", state.Gate.Waiting);
            w.WriteEndObject();
        });
    }

    public static Task MetricsAsync(HttpContext context, ServerState state)
    {
        context.Response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
        return context.Response.WriteAsync(state.Metrics.Render(state.Gate, state.Model), context.RequestAborted);
    }

    /// <summary>Writes the JSON <paramref name="write"/> produces as the response body.</summary>
    public static async Task JsonAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, ServerJson.WriterOptions))
        {
            write(writer);
        }
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    private static IEnumerable<string> Names(ServedModel model) => [model.Id, .. model.Aliases];

    private static void WriteModel(Utf8JsonWriter w, string id)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "model");
        w.WriteNumber("created", s_created);
        w.WriteString("owned_by", "deepsharp");
        w.WriteEndObject();
    }
}
