using System.Text;
using System.Text.Json;
using DeepSharp.Chat;
using DeepSharp.Engine;
using DeepSharp.Inference;
using DeepSharp.Inference.Sampling;
using Microsoft.AspNetCore.Http;

namespace DeepSharp.Server;

/// <summary>
/// <c>POST /v1/chat/completions</c>: OpenAI's chat API with DeepSeek's additions (<c>reasoning_content</c>, cache-hit
/// usage), streamed as server-sent events or answered as one JSON object.
/// </summary>
internal static class ChatCompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context, ServerState state)
    {
        ChatCompletionRequest request;
        using (var body = await RequestBody.ReadObjectAsync(context, state.Options.MaxBodyBytes).ConfigureAwait(false))
        {
            request = ChatCompletionRequest.Read(body.RootElement, state.Model, state.Options.MaxMessages);
        }
        var engine = state.Model.Engine;
        var options = request.Generation.Options with
        {
            Thinking = request.Thinking,
            Tools = request.Tools,
            Sampling = request.JsonMode
                ? request.Generation.Options.Sampling with { Constraints = [new JsonConstraint(engine.Tokenizer.Vocabulary, request.Generation.Options.MaxTokens)] }
                : request.Generation.Options.Sampling,
        };
        GenerationFlow.CountChatPrompt(engine, request.Messages, options);
        using var lease = GenerationFlow.Admit(state);
        using var cancellation = GenerationFlow.Link(state, context);
        var updates = GenerationFlow.RunAsync(state, lease, ct => engine.ChatAsync(request.Messages, options, ct), cancellation.Token);
        var reply = new Reply("chatcmpl-" + Guid.NewGuid().ToString("N"), GenerationFlow.Now(), request.Generation.Model, request.Tools is not null, options.Logprobs);
        if (request.Generation.Stream)
        {
            await StreamAsync(context, state, reply, updates, request.Generation.IncludeUsage, cancellation.Token).ConfigureAwait(false);
        }
        else
        {
            await RespondAsync(context, reply, updates, cancellation.Token).ConfigureAwait(false);
        }
    }

    private static async Task RespondAsync(HttpContext context, Reply reply, IAsyncEnumerable<ChatUpdate> updates, CancellationToken cancellationToken)
    {
        var reasoning = new StringBuilder();
        var content = new StringBuilder();
        List<TokenLogprob>? contentLogprobs = reply.Logprobs ? [] : null;
        List<TokenLogprob>? reasoningLogprobs = reply.Logprobs ? [] : null;
        ChatUpdate last = default;
        await foreach (var update in updates.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            switch (update.Kind)
            {
                case ChatUpdateKind.Reasoning:
                    reasoning.Append(update.Text);
                    reasoningLogprobs?.AddRange(update.Logprobs ?? []);
                    break;
                case ChatUpdateKind.Content:
                    content.Append(update.Text);
                    var (before, own) = LogprobsJson.SplitLeading(update.Logprobs, update.Text);
                    reasoningLogprobs?.AddRange(before);
                    contentLogprobs?.AddRange(own);
                    break;
                default:
                    last = update;
                    contentLogprobs?.AddRange(update.Logprobs ?? []);
                    break;
            }
        }
        string text = content.ToString();
        IReadOnlyList<ChatToolCall> calls = [];
        if (reply.ParseTools)
        {
            var parsed = ToolCallParser.Parse(text);
            (text, calls) = (parsed.Content, parsed.ToolCalls);
        }
        string finish = calls.Count > 0 ? "tool_calls" : GenerationFlow.FinishReasonName(last.FinishReason);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, ServerJson.WriterOptions))
        {
            w.WriteStartObject();
            reply.WriteHeader(w, "chat.completion");
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            if (calls.Count > 0 && text.Length == 0)
            {
                w.WriteNull("content");
            }
            else
            {
                w.WriteString("content", text);
            }
            if (reasoning.Length > 0)
            {
                w.WriteString("reasoning_content", reasoning.ToString());
            }
            else
            {
                w.WriteNull("reasoning_content");
            }
            if (calls.Count > 0)
            {
                WriteToolCalls(w, calls, streaming: false);
            }
            w.WriteEndObject();
            LogprobsJson.WriteChat(w, contentLogprobs, reasoningLogprobs);
            w.WriteString("finish_reason", finish);
            w.WriteEndObject();
            w.WriteEndArray();
            UsageJson.Write(w, last.Usage ?? default);
            w.WriteEndObject();
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, ServerState state, Reply reply, IAsyncEnumerable<ChatUpdate> updates, bool includeUsage, CancellationToken cancellationToken)
    {
        var sse = new SseWriter(context.Response, cancellationToken);
        await sse.StartAsync().ConfigureAwait(false);
        await sse.WriteEventAsync(w => reply.WriteChunk(w, includeUsage, d => { d.WriteString("role", "assistant"); d.WriteString("content", ""); })).ConfigureAwait(false);
        var tools = reply.ParseTools ? new ToolCallStreamFilter() : null;
        var heldLogprobs = new List<TokenLogprob>();   // of text the tool filter holds back, sent with the next text
        ChatUpdate last = default;
        try
        {
            await foreach (var update in KeepAliveUpdates.Relay(updates, state.Options.KeepAliveInterval, cancellationToken).ConfigureAwait(false))
            {
                if (update is not ChatUpdate u)
                {
                    await sse.WriteKeepAliveAsync().ConfigureAwait(false);
                    continue;
                }
                switch (u.Kind)
                {
                    case ChatUpdateKind.Reasoning:
                        await sse.WriteEventAsync(w => reply.WriteChunk(w, includeUsage, d => d.WriteString("reasoning_content", u.Text), reasoning: u.Logprobs)).ConfigureAwait(false);
                        break;
                    case ChatUpdateKind.Content:
                        string text = tools?.Push(u.Text) ?? u.Text;
                        var (before, own) = LogprobsJson.SplitLeading(u.Logprobs, u.Text);
                        heldLogprobs.AddRange(own);
                        if (text.Length > 0)
                        {
                            var logprobs = reply.Logprobs ? heldLogprobs.ToArray() : null;
                            var thinkingLogprobs = reply.Logprobs && before.Count > 0 ? before : null;
                            heldLogprobs.Clear();
                            await sse.WriteEventAsync(w => reply.WriteChunk(w, includeUsage, d => d.WriteString("content", text), content: logprobs, reasoning: thinkingLogprobs)).ConfigureAwait(false);
                        }
                        break;
                    default:
                        last = u;
                        heldLogprobs.AddRange(u.Logprobs ?? []);
                        break;
                }
            }
        }
        catch (Exception e) when (ApiErrors.From(e, state, context) is ApiException error && !context.RequestAborted.IsCancellationRequested)
        {
            // The status line has gone out; OpenAI's clients read an error event in the stream instead.
            await sse.WriteErrorAsync(error).ConfigureAwait(false);
            return;
        }
        string finish = GenerationFlow.FinishReasonName(last.FinishReason);
        if (tools is not null)
        {
            var (rest, calls) = tools.Finish();
            if (rest.Length > 0)
            {
                await sse.WriteEventAsync(w => reply.WriteChunk(w, includeUsage, d => d.WriteString("content", rest))).ConfigureAwait(false);
            }
            if (calls.Count > 0)
            {
                finish = "tool_calls";
                await sse.WriteEventAsync(w => reply.WriteChunk(w, includeUsage, d => WriteToolCalls(d, calls, streaming: true))).ConfigureAwait(false);
            }
        }
        var finalLogprobs = reply.Logprobs && heldLogprobs.Count > 0 ? heldLogprobs : null;
        await sse.WriteEventAsync(w => reply.WriteChunk(w, includeUsage, _ => { }, finish, finalLogprobs)).ConfigureAwait(false);
        if (includeUsage)
        {
            await sse.WriteEventAsync(w =>
            {
                w.WriteStartObject();
                reply.WriteHeader(w, "chat.completion.chunk");
                w.WriteStartArray("choices");
                w.WriteEndArray();
                UsageJson.Write(w, last.Usage ?? default);
                w.WriteEndObject();
            }).ConfigureAwait(false);
        }
        await sse.WriteDoneAsync().ConfigureAwait(false);
    }

    private static void WriteToolCalls(Utf8JsonWriter w, IReadOnlyList<ChatToolCall> calls, bool streaming)
    {
        w.WriteStartArray("tool_calls");
        for (int i = 0; i < calls.Count; i++)
        {
            w.WriteStartObject();
            if (streaming)
            {
                w.WriteNumber("index", i);
            }
            w.WriteString("id", calls[i].Id ?? "call_" + Guid.NewGuid().ToString("N")[..24]);
            w.WriteString("type", "function");
            w.WriteStartObject("function");
            w.WriteString("name", calls[i].Name);
            w.WriteString("arguments", calls[i].Arguments);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    /// <summary>What every object of one reply repeats (id, creation time, model name), whether tool calls are parsed and log-probabilities sent.</summary>
    private sealed record Reply(string Id, long Created, string Model, bool ParseTools, bool Logprobs)
    {
        public void WriteHeader(Utf8JsonWriter w, string objectType)
        {
            w.WriteString("id", Id);
            w.WriteString("object", objectType);
            w.WriteNumber("created", Created);
            w.WriteString("model", Model);
            w.WriteString("system_fingerprint", "deepsharp");
        }

        /// <summary>A <c>chat.completion.chunk</c> whose one choice has the delta <paramref name="delta"/> writes.</summary>
        public void WriteChunk(Utf8JsonWriter w, bool includeUsage, Action<Utf8JsonWriter> delta, string? finishReason = null,
            IReadOnlyList<TokenLogprob>? content = null, IReadOnlyList<TokenLogprob>? reasoning = null)
        {
            w.WriteStartObject();
            WriteHeader(w, "chat.completion.chunk");
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("delta");
            delta(w);
            w.WriteEndObject();
            LogprobsJson.WriteChat(w, content, reasoning);
            w.WriteStringOrNull("finish_reason", finishReason);
            w.WriteEndObject();
            w.WriteEndArray();
            if (includeUsage)
            {
                w.WriteNull("usage");
            }
            w.WriteEndObject();
        }
    }
}
