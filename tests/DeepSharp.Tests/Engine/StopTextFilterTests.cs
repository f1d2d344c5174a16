using DeepSharp.Engine;

namespace DeepSharp.Tests.Engine;

public sealed class StopTextFilterTests
{
    /// <summary>However the text is split into pieces, the output is the text up to the first stop string.</summary>
    [Theory]
    [InlineData("hello <|end|> world", "<|end|>", "hello ")]
    [InlineData("no stop here <|en", "<|end|>", "no stop here <|en")]
    [InlineData("abcSTOPdefEND", "END", "abcSTOPdef")]
    [InlineData("<<<<stop", "<<stop", "<<")]
    public void OutputIsTheTextBeforeTheFirstStopAtEverySplit(string text, string stop, string expected)
    {
        for (int a = 0; a <= text.Length; a++)
        {
            for (int b = a; b <= text.Length; b++)
            {
                var filter = new StopTextFilter([stop, "STOP!"]);
                string output = filter.Push(text[..a]) + filter.Push(text[a..b]) + filter.Push(text[b..]) + filter.Flush();
                Assert.Equal(expected, output);
            }
        }
    }

    [Fact]
    public void TextThatCannotStartAStopIsNotHeldBack()
    {
        var filter = new StopTextFilter(["</s>"]);
        Assert.Equal("abc", filter.Push("abc"));
        Assert.Equal("x", filter.Push("x</"));
        Assert.Equal("</x", filter.Push("x"));
    }

    [Fact]
    public void EmptyStopStringsAreRejected() => Assert.Throws<ArgumentException>(() => new StopTextFilter([""]));
}
