using System.Text.Json;
using DeepSharp.Engine;

namespace DeepSharp.Server;

/// <summary>Writes token log-probabilities in OpenAI's chat shape and in its legacy text-completion shape.</summary>
internal static class LogprobsJson
{
    /// <summary>
    /// Chat: <c>"logprobs": {"content": [{"token", "logprob", "bytes", "top_logprobs"}], "refusal": null}</c>, plus a
    /// <c>reasoning_content</c> list of the same shape for tokens of the think block when there are any.
    /// </summary>
    public static void WriteChat(Utf8JsonWriter w, IReadOnlyList<TokenLogprob>? content, IReadOnlyList<TokenLogprob>? reasoning)
    {
        if (content is null && reasoning is null)
        {
            w.WriteNull("logprobs");
            return;
        }
        w.WriteStartObject("logprobs");
        WriteList(w, "content", content ?? []);
        if (reasoning is { Count: > 0 })
        {
            WriteList(w, "reasoning_content", reasoning);
        }
        w.WriteNull("refusal");
        w.WriteEndObject();
    }

    /// <summary>
    /// Text completion: <c>"logprobs": {"tokens", "token_logprobs", "top_logprobs": [{token: logprob}], "text_offset"}</c>,
    /// offsets counted in characters from <paramref name="offset"/>.
    /// </summary>
    public static void WriteLegacy(Utf8JsonWriter w, IReadOnlyList<TokenLogprob>? tokens, int offset)
    {
        if (tokens is null)
        {
            w.WriteNull("logprobs");
            return;
        }
        w.WriteStartObject("logprobs");
        w.WriteStartArray("tokens");
        foreach (var t in tokens)
        {
            w.WriteStringValue(t.Text);
        }
        w.WriteEndArray();
        w.WriteStartArray("token_logprobs");
        foreach (var t in tokens)
        {
            w.WriteNumberValue(t.Logprob);
        }
        w.WriteEndArray();
        w.WriteStartArray("top_logprobs");
        foreach (var t in tokens)
        {
            w.WriteStartObject();
            foreach (var top in t.TopLogprobs)
            {
                w.WriteNumber(top.Text, top.Logprob);
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("text_offset");
        foreach (var t in tokens)
        {
            w.WriteNumberValue(offset);
            offset += t.Text.Length;
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>
    /// Splits an update's tokens into those before its text and those of it: the engine hands tokens whose text
    /// never shows (the end-of-thinking tag) to the next update, but they are not part of the answer.
    /// </summary>
    public static (IReadOnlyList<TokenLogprob> Before, IReadOnlyList<TokenLogprob> Own) SplitLeading(IReadOnlyList<TokenLogprob>? tokens, string text)
    {
        if (tokens is null || tokens.Count == 0)
        {
            return ([], tokens ?? []);
        }
        string all = string.Concat(tokens.Select(t => t.Text));
        if (all.Length <= text.Length || !all.EndsWith(text, StringComparison.Ordinal))
        {
            return ([], tokens);
        }
        int extra = all.Length - text.Length;
        int count = 0;
        for (int length = 0; count < tokens.Count && length + tokens[count].Text.Length <= extra; count++)
        {
            length += tokens[count].Text.Length;
        }
        return ([.. tokens.Take(count)], [.. tokens.Skip(count)]);
    }

    private static void WriteList(Utf8JsonWriter w, string name, IReadOnlyList<TokenLogprob> tokens)
    {
        w.WriteStartArray(name);
        foreach (var t in tokens)
        {
            WriteToken(w, t);
        }
        w.WriteEndArray();
    }

    private static void WriteToken(Utf8JsonWriter w, TokenLogprob t, bool withTop = true)
    {
        w.WriteStartObject();
        w.WriteString("token", t.Text);
        w.WriteNumber("logprob", t.Logprob);
        w.WriteStartArray("bytes");
        foreach (byte b in t.Bytes)
        {
            w.WriteNumberValue(b);
        }
        w.WriteEndArray();
        if (withTop)
        {
            w.WriteStartArray("top_logprobs");
            foreach (var top in t.TopLogprobs)
            {
                WriteToken(w, top, withTop: false);
            }
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }
}
