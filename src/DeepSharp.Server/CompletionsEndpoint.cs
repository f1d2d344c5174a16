using System.Text;
using System.Text.Json;
using DeepSharp.Engine;
using Microsoft.AspNetCore.Http;

namespace DeepSharp.Server;

/// <summary><c>POST /v1/completions</c>: OpenAI's legacy text completion, a raw continuation of a prompt without the chat template.</summary>
internal static class CompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context, ServerState state)
    {
        GenerationRequest request;
        string prompt;
        using (var body = await RequestBody.ReadObjectAsync(context, state.Options.MaxBodyBytes).ConfigureAwait(false))
        {
            request = GenerationRequest.Read(body.RootElement, state.Model, legacyLogprobs: true);
            prompt = ReadPrompt(body.RootElement);
            if (JsonFields.Bool(body.RootElement, "echo") == true)
            {
                throw ApiException.BadParam("echo", "echo is not supported");
            }
        }
        var engine = state.Model.Engine;
        int tokens = engine.Tokenizer.Encode(prompt, addSpecial: true).Length;
        if (tokens == 0)
        {
            throw ApiException.BadParam("prompt", "'prompt' encodes to no tokens");
        }
        if (tokens >= engine.ContextLength)
        {
            throw ApiErrors.ContextExceeded($"This model's context holds {engine.ContextLength} tokens, but the prompt comes to {tokens} tokens; shorten it");
        }
        using var lease = GenerationFlow.Admit(state);
        using var cancellation = GenerationFlow.Link(state, context);
        var updates = GenerationFlow.RunAsync(state, lease, ct => engine.CompleteAsync(prompt, request.Options, ct), cancellation.Token);
        string id = "cmpl-" + Guid.NewGuid().ToString("N");
        long created = GenerationFlow.Now();
        if (request.Stream)
        {
            await StreamAsync(context, state, updates, request, id, created, cancellation.Token).ConfigureAwait(false);
            return;
        }
        var text = new StringBuilder();
        List<TokenLogprob>? logprobs = request.Options.Logprobs ? [] : null;
        ChatUpdate last = default;
        await foreach (var update in updates.WithCancellation(cancellation.Token).ConfigureAwait(false))
        {
            logprobs?.AddRange(update.Logprobs ?? []);
            if (update.Kind == ChatUpdateKind.Finished)
            {
                last = update;
            }
            else
            {
                text.Append(update.Text);
            }
        }
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, ServerJson.WriterOptions))
        {
            WriteObject(w, id, created, request.Model, text.ToString(), GenerationFlow.FinishReasonName(last.FinishReason), last.Usage ?? default, logprobs, 0);
        }
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, cancellation.Token).ConfigureAwait(false);
    }

    /// <summary><c>prompt</c>: a string, or an array holding one string.</summary>
    private static string ReadPrompt(JsonElement root)
    {
        if (JsonFields.Get(root, "prompt") is not JsonElement prompt)
        {
            throw ApiException.Missing("prompt");
        }
        if (prompt.ValueKind == JsonValueKind.String)
        {
            return prompt.GetString()!;
        }
        if (prompt.ValueKind == JsonValueKind.Array && prompt.GetArrayLength() == 1 && prompt[0].ValueKind == JsonValueKind.String)
        {
            return prompt[0].GetString()!;
        }
        throw ApiException.BadParam("prompt", "'prompt' must be a string (or an array of one string)");
    }

    private static async Task StreamAsync(HttpContext context, ServerState state, IAsyncEnumerable<ChatUpdate> updates, GenerationRequest request, string id, long created, CancellationToken cancellationToken)
    {
        var sse = new SseWriter(context.Response, cancellationToken);
        await sse.StartAsync().ConfigureAwait(false);
        ChatUpdate last = default;
        int offset = 0;
        try
        {
            await foreach (var update in KeepAliveUpdates.Relay(updates, state.Options.KeepAliveInterval, cancellationToken).ConfigureAwait(false))
            {
                if (update is not ChatUpdate u)
                {
                    await sse.WriteKeepAliveAsync().ConfigureAwait(false);
                }
                else if (u.Kind == ChatUpdateKind.Finished)
                {
                    last = u;
                }
                else
                {
                    int at = offset;
                    await sse.WriteEventAsync(w => WriteObject(w, id, created, request.Model, u.Text, null, null, u.Logprobs, at)).ConfigureAwait(false);
                    offset += u.Text.Length;
                }
            }
        }
        catch (Exception e) when (ApiErrors.From(e, state, context) is ApiException error && !context.RequestAborted.IsCancellationRequested)
        {
            await sse.WriteErrorAsync(error).ConfigureAwait(false);
            return;
        }
        string finish = GenerationFlow.FinishReasonName(last.FinishReason);
        await sse.WriteEventAsync(w => WriteObject(w, id, created, request.Model, "", finish, request.IncludeUsage ? last.Usage ?? default : null, last.Logprobs, offset)).ConfigureAwait(false);
        await sse.WriteDoneAsync().ConfigureAwait(false);
    }

    private static void WriteObject(Utf8JsonWriter w, string id, long created, string model, string text, string? finishReason, ChatUsage? usage,
        IReadOnlyList<TokenLogprob>? logprobs, int offset)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "text_completion");
        w.WriteNumber("created", created);
        w.WriteString("model", model);
        w.WriteString("system_fingerprint", "deepsharp");
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteString("text", text);
        w.WriteNumber("index", 0);
        LogprobsJson.WriteLegacy(w, logprobs, offset);
        w.WriteStringOrNull("finish_reason", finishReason);
        w.WriteEndObject();
        w.WriteEndArray();
        if (usage is ChatUsage u)
        {
            UsageJson.Write(w, u);
        }
        w.WriteEndObject();
    }
}
