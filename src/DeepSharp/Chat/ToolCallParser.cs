using System.Text.Json;

namespace DeepSharp.Chat;

/// <summary>
/// Finds the function calls a model wrote in its chat template's own markup and returns them as OpenAI-style
/// <see cref="ChatToolCall"/>s. Understands DeepSeek's special-token format, in both its R1/V3 shape
/// (<c>&lt;｜tool▁call▁begin｜&gt;function&lt;｜tool▁sep｜&gt;NAME\n```json\nARGS\n```&lt;｜tool▁call▁end｜&gt;</c>) and its
/// V3.1 shape (<c>&lt;｜tool▁call▁begin｜&gt;NAME&lt;｜tool▁sep｜&gt;ARGS&lt;｜tool▁call▁end｜&gt;</c>), and the Qwen/Hermes
/// format (<c>&lt;tool_call&gt;{"name": NAME, "arguments": ARGS}&lt;/tool_call&gt;</c>).
/// </summary>
/// <remarks>
/// A call whose markup is cut off or malformed is not guessed at: the parser then returns the whole reply as
/// text and no calls, so nothing the model wrote is lost.
/// </remarks>
public static class ToolCallParser
{
    /// <summary>DeepSeek's marker before the list of calls.</summary>
    public const string DeepSeekCallsBegin = "<｜tool▁calls▁begin｜>";

    /// <summary>DeepSeek's marker after the list of calls.</summary>
    public const string DeepSeekCallsEnd = "<｜tool▁calls▁end｜>";

    /// <summary>DeepSeek's marker before one call.</summary>
    public const string DeepSeekCallBegin = "<｜tool▁call▁begin｜>";

    /// <summary>DeepSeek's marker after one call.</summary>
    public const string DeepSeekCallEnd = "<｜tool▁call▁end｜>";

    /// <summary>DeepSeek's separator inside one call.</summary>
    public const string DeepSeekSeparator = "<｜tool▁sep｜>";

    /// <summary>Qwen's opening tag of one call.</summary>
    public const string QwenCallBegin = "<tool_call>";

    /// <summary>Qwen's closing tag of one call.</summary>
    public const string QwenCallEnd = "</tool_call>";

    /// <summary>The texts that open tool-call markup, in any supported format.</summary>
    public static IReadOnlyList<string> StartMarkers { get; } = [DeepSeekCallsBegin, DeepSeekCallBegin, QwenCallBegin];

    /// <summary>Where the first tool-call markup begins in <paramref name="text"/>, or -1.</summary>
    public static int IndexOfStart(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int first = -1;
        foreach (string marker in StartMarkers)
        {
            int at = text.IndexOf(marker, StringComparison.Ordinal);
            if (at >= 0 && (first < 0 || at < first))
            {
                first = at;
            }
        }
        return first;
    }

    /// <summary>Splits a complete reply into its text and its tool calls.</summary>
    public static ToolCallParseResult Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int start = IndexOfStart(text);
        if (start < 0)
        {
            return new ToolCallParseResult(text.Trim(), []);
        }
        var calls = text.AsSpan(start).StartsWith(QwenCallBegin, StringComparison.Ordinal)
            ? ParseCalls(text, start, QwenCallBegin, QwenCallEnd, ParseQwenCall)
            : ParseCalls(text, start, DeepSeekCallBegin, DeepSeekCallEnd, ParseDeepSeekCall);
        return calls is null ? new ToolCallParseResult(text.Trim(), []) : new ToolCallParseResult(text[..start].Trim(), calls);
    }

    /// <summary>Every <paramref name="begin"/>…<paramref name="end"/> span from <paramref name="start"/> on, each body parsed by <paramref name="parseBody"/>; null if any is cut off or malformed, or there is none.</summary>
    private static List<ChatToolCall>? ParseCalls(string text, int start, string begin, string end, Func<string, ChatToolCall?> parseBody)
    {
        var calls = new List<ChatToolCall>();
        int at = start;
        while (true)
        {
            int open = text.IndexOf(begin, at, StringComparison.Ordinal);
            if (open < 0)
            {
                break;
            }
            int bodyStart = open + begin.Length;
            int close = text.IndexOf(end, bodyStart, StringComparison.Ordinal);
            if (close < 0 || parseBody(text[bodyStart..close]) is not ChatToolCall call)
            {
                return null;
            }
            calls.Add(call);
            at = close + end.Length;
        }
        return calls.Count > 0 ? calls : null;
    }

    /// <summary>One call's body: <c>TYPE&lt;sep&gt;NAME\n```json\nARGS\n```</c> (R1/V3) or <c>NAME&lt;sep&gt;ARGS</c> (V3.1).</summary>
    private static ChatToolCall? ParseDeepSeekCall(string body)
    {
        int sep = body.IndexOf(DeepSeekSeparator, StringComparison.Ordinal);
        if (sep < 0)
        {
            return null;
        }
        string left = body[..sep].Trim();
        string right = body[(sep + DeepSeekSeparator.Length)..];
        int fence = right.IndexOf("```", StringComparison.Ordinal);
        if (fence >= 0)
        {
            string name = right[..fence].Trim();
            int argsStart = right.IndexOf('\n', fence);
            int argsEnd = right.LastIndexOf("```", StringComparison.Ordinal);
            if (name.Length == 0 || argsStart < 0 || argsEnd <= argsStart)
            {
                return null;
            }
            return new ChatToolCall(name, right[(argsStart + 1)..argsEnd].Trim()) { Type = left.Length > 0 ? left : "function" };
        }
        return left.Length == 0 ? null : new ChatToolCall(left, right.Trim());
    }

    /// <summary>One call's body: a JSON object with <c>name</c> and <c>arguments</c> (an object, or a string holding one).</summary>
    private static ChatToolCall? ParseQwenCall(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("name", out var name) || name.ValueKind != JsonValueKind.String || name.GetString() is not { Length: > 0 } functionName)
            {
                return null;
            }
            string arguments = !root.TryGetProperty("arguments", out var args) ? "{}"
                : args.ValueKind == JsonValueKind.String ? args.GetString()!
                : args.GetRawText();
            return new ChatToolCall(functionName, arguments);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
