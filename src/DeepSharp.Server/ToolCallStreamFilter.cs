using System.Text;
using DeepSharp.Chat;

namespace DeepSharp.Server;

/// <summary>
/// Lets streamed answer text through until tool-call markup begins, then keeps the rest back so the calls can be
/// parsed whole when the reply ends. Text that might be the start of a marker is held until the next piece decides.
/// </summary>
internal sealed class ToolCallStreamFilter
{
    private readonly StringBuilder _captured = new();
    private string _pending = "";
    private bool _capturing;

    /// <summary>The part of <paramref name="text"/> (with what was held back) that is certainly plain text.</summary>
    public string Push(string text)
    {
        if (_capturing)
        {
            _captured.Append(text);
            return "";
        }
        string all = _pending + text;
        int start = ToolCallParser.IndexOfStart(all);
        if (start >= 0)
        {
            _capturing = true;
            _pending = "";
            _captured.Append(all, start, all.Length - start);
            return all[..start];
        }
        int hold = HeldBack(all);
        _pending = all[(all.Length - hold)..];
        return all[..(all.Length - hold)];
    }

    /// <summary>At the end of the reply: text still held and the parsed calls (none if the markup did not parse, in which case it is returned as text).</summary>
    public (string Text, IReadOnlyList<ChatToolCall> Calls) Finish()
    {
        string pending = _pending;
        _pending = "";
        if (!_capturing)
        {
            return (pending, []);
        }
        string captured = _captured.ToString();
        var result = ToolCallParser.Parse(captured);
        return result.ToolCalls.Count == 0 ? (captured, []) : (result.Content, result.ToolCalls);
    }

    /// <summary>Length of the longest end of <paramref name="text"/> that begins some marker.</summary>
    private static int HeldBack(string text)
    {
        int best = 0;
        foreach (string marker in ToolCallParser.StartMarkers)
        {
            for (int length = Math.Min(marker.Length - 1, text.Length); length > best; length--)
            {
                if (text.AsSpan(text.Length - length).SequenceEqual(marker.AsSpan(0, length)))
                {
                    best = length;
                    break;
                }
            }
        }
        return best;
    }
}
