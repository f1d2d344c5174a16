using System.Text;
using DeepSharp.Chat;

namespace DeepSharp.Server.Tests;

/// <summary>
/// Streaming with tools: however the reply is cut into pieces, the text let through is exactly the text before the
/// call markup, and the calls at the end are those the whole reply holds.
/// </summary>
public sealed class ToolCallStreamFilterTests
{
    public static TheoryData<string> Replies =>
    [
        "Checking the weather.<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>function<｜tool▁sep｜>get_weather\n```json\n{\"city\": \"Paris\"}\n```<｜tool▁call▁end｜><｜tool▁calls▁end｜>",
        "<｜tool▁calls▁begin｜><｜tool▁call▁begin｜>add<｜tool▁sep｜>{\"a\": 1}<｜tool▁call▁end｜>\n<｜tool▁call▁begin｜>add<｜tool▁sep｜>{\"a\": 2}<｜tool▁call▁end｜><｜tool▁calls▁end｜>",
        "Sure <tool_call>\n{\"name\": \"f\", \"arguments\": {\"x\": [1, 2]}}\n</tool_call>\n<tool_call>\n{\"name\": \"g\", \"arguments\": {}}\n</tool_call>",
        "No tools here, but a < sign and <tool and <｜tool",
        "Broken <tool_call>{\"name\": ",
    ];

    [Theory]
    [MemberData(nameof(Replies))]
    public void AnyCutsGiveTheWholeReplysSplit(string reply)
    {
        var whole = ToolCallParser.Parse(reply);
        // With calls, the text before the markup streams as it is; without, the whole reply is text.
        string expectedText = whole.ToolCalls.Count > 0 ? reply[..ToolCallParser.IndexOfStart(reply)] : reply;
        var random = new Random(reply.Length);
        for (int trial = 0; trial < 200; trial++)
        {
            var filter = new ToolCallStreamFilter();
            var text = new StringBuilder();
            for (int at = 0; at < reply.Length;)
            {
                int length = Math.Min(reply.Length - at, random.Next(1, 8));
                text.Append(filter.Push(reply.Substring(at, length)));
                at += length;
            }
            var (rest, calls) = filter.Finish();
            text.Append(rest);
            Assert.Equal(whole.ToolCalls.Count, calls.Count);
            Assert.Equal(whole.ToolCalls.Select(c => (c.Name, c.Arguments)), calls.Select(c => (c.Name, c.Arguments)));
            Assert.Equal(expectedText, text.ToString());
        }
    }
}
