using System.Text;
using System.Text.Json;
using DeepSharp.Engine;
using DeepSharp.Inference;
using Microsoft.AspNetCore.Http;

namespace DeepSharp.Server;

/// <summary>
/// <c>POST /v1/messages</c>: Anthropic's Messages API over the same engine: reasoning as <c>thinking</c> blocks, the
/// answer as a <c>text</c> block; streamed as Anthropic's named events (<c>message_start</c> … <c>message_stop</c>,
/// with <c>ping</c> while waiting) or answered whole. Errors use Anthropic's shape.
/// </summary>
internal static class MessagesEndpoint
{
    public const string Path = "/v1/messages";

    public static async Task HandleAsync(HttpContext context, ServerState state)
    {
        MessagesRequest request;
        using (var body = await RequestBody.ReadObjectAsync(context, state.Options.MaxBodyBytes).ConfigureAwait(false))
        {
            request = MessagesRequest.Read(body.RootElement, state.Model, state.Options.MaxMessages);
        }
        var engine = state.Model.Engine;
        int promptTokens = GenerationFlow.CountChatPrompt(engine, request.Messages, request.Options);
        using var lease = GenerationFlow.Admit(state);
        using var cancellation = GenerationFlow.Link(state, context);
        var updates = GenerationFlow.RunAsync(state, lease, ct => engine.ChatAsync(request.Messages, request.Options, ct), cancellation.Token);
        string id = "msg_" + Guid.NewGuid().ToString("N");
        if (request.Stream)
        {
            await StreamAsync(context, state, request, id, promptTokens, updates, cancellation.Token).ConfigureAwait(false);
            return;
        }
        var thinking = new StringBuilder();
        var text = new StringBuilder();
        ChatUpdate last = default;
        await foreach (var update in updates.WithCancellation(cancellation.Token).ConfigureAwait(false))
        {
            _ = update.Kind switch
            {
                ChatUpdateKind.Reasoning => thinking.Append(update.Text),
                ChatUpdateKind.Content => text.Append(update.Text),
                _ => null,
            };
            last = update.Kind == ChatUpdateKind.Finished ? update : last;
        }
        await InfoEndpoints.JsonAsync(context, w =>
        {
            WriteMessage(w, id, request.Model, stopReason: StopReason(last), usage: last.Usage ?? default, contents: () =>
            {
                if (thinking.Length > 0)
                {
                    w.WriteStartObject();
                    w.WriteString("type", "thinking");
                    w.WriteString("thinking", thinking.ToString());
                    w.WriteString("signature", "");
                    w.WriteEndObject();
                }
                w.WriteStartObject();
                w.WriteString("type", "text");
                w.WriteString("text", text.ToString());
                w.WriteEndObject();
            });
        }).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, ServerState state, MessagesRequest request, string id, int promptTokens,
        IAsyncEnumerable<ChatUpdate> updates, CancellationToken cancellationToken)
    {
        var sse = new SseWriter(context.Response, cancellationToken);
        await sse.StartAsync().ConfigureAwait(false);
        await sse.WriteEventAsync(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "message_start");
            w.WritePropertyName("message");
            WriteMessage(w, id, request.Model, null, new ChatUsage(promptTokens, 0, 0, 0), () => { });
            w.WriteEndObject();
        }, "message_start").ConfigureAwait(false);
        int index = -1;
        string? open = null;   // the block being streamed: "thinking" or "text"
        ChatUpdate last = default;
        try
        {
            await foreach (var item in KeepAliveUpdates.Relay(updates, state.Options.KeepAliveInterval, cancellationToken).ConfigureAwait(false))
            {
                if (item is not ChatUpdate u)
                {
                    await sse.WriteEventAsync(w => Typed(w, "ping"), "ping").ConfigureAwait(false);
                    continue;
                }
                if (u.Kind == ChatUpdateKind.Finished)
                {
                    last = u;
                    continue;
                }
                string block = u.Kind == ChatUpdateKind.Reasoning ? "thinking" : "text";
                if (block != open)
                {
                    if (open is not null)
                    {
                        await StopBlockAsync(sse, index).ConfigureAwait(false);
                    }
                    open = block;
                    await StartBlockAsync(sse, ++index, block).ConfigureAwait(false);
                }
                await sse.WriteEventAsync(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("type", "content_block_delta");
                    w.WriteNumber("index", index);
                    w.WriteStartObject("delta");
                    w.WriteString("type", block == "thinking" ? "thinking_delta" : "text_delta");
                    w.WriteString(block, u.Text);
                    w.WriteEndObject();
                    w.WriteEndObject();
                }, "content_block_delta").ConfigureAwait(false);
            }
        }
        catch (Exception e) when (ApiErrors.From(e, state, context) is ApiException error && !context.RequestAborted.IsCancellationRequested)
        {
            await sse.WriteEventAsync(w => ErrorBody.Write(w, error, anthropic: true), "error").ConfigureAwait(false);
            return;
        }
        if (open is null)
        {
            await StartBlockAsync(sse, ++index, "text").ConfigureAwait(false);
        }
        await StopBlockAsync(sse, index).ConfigureAwait(false);
        var usage = last.Usage ?? default;
        await sse.WriteEventAsync(w =>
        {
            w.WriteStartObject();
            w.WriteString("type", "message_delta");
            w.WriteStartObject("delta");
            w.WriteString("stop_reason", StopReason(last));
            w.WriteNull("stop_sequence");
            w.WriteEndObject();
            WriteUsage(w, usage);
            w.WriteEndObject();
        }, "message_delta").ConfigureAwait(false);
        await sse.WriteEventAsync(w => Typed(w, "message_stop"), "message_stop").ConfigureAwait(false);
    }

    private static Task StartBlockAsync(SseWriter sse, int index, string block) => sse.WriteEventAsync(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "content_block_start");
        w.WriteNumber("index", index);
        w.WriteStartObject("content_block");
        w.WriteString("type", block);
        w.WriteString(block, "");
        w.WriteEndObject();
        w.WriteEndObject();
    }, "content_block_start");

    private static Task StopBlockAsync(SseWriter sse, int index) => sse.WriteEventAsync(w =>
    {
        w.WriteStartObject();
        w.WriteString("type", "content_block_stop");
        w.WriteNumber("index", index);
        w.WriteEndObject();
    }, "content_block_stop");

    private static void Typed(Utf8JsonWriter w, string type)
    {
        w.WriteStartObject();
        w.WriteString("type", type);
        w.WriteEndObject();
    }

    /// <summary>A <c>message</c> object; <paramref name="contents"/> writes the items of its <c>content</c> array.</summary>
    private static void WriteMessage(Utf8JsonWriter w, string id, string model, string? stopReason, ChatUsage usage, Action contents)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", model);
        w.WriteStartArray("content");
        contents();
        w.WriteEndArray();
        w.WriteStringOrNull("stop_reason", stopReason);
        w.WriteNull("stop_sequence");
        WriteUsage(w, usage);
        w.WriteEndObject();
    }

    /// <summary>Anthropic counts cache reads apart from the input tokens.</summary>
    private static void WriteUsage(Utf8JsonWriter w, ChatUsage usage)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", usage.PromptTokens - usage.CachedPromptTokens);
        w.WriteNumber("cache_read_input_tokens", usage.CachedPromptTokens);
        w.WriteNumber("cache_creation_input_tokens", 0);
        w.WriteNumber("output_tokens", usage.CompletionTokens);
        w.WriteEndObject();
    }

    private static string StopReason(ChatUpdate last) => last.FinishReason switch
    {
        FinishReason.Length or FinishReason.ContextFull => "max_tokens",
        FinishReason.StopString => "stop_sequence",
        _ => "end_turn",
    };
}
