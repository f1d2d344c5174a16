using System.Text;
using DeepSharp.Inference;

namespace DeepSharp.Tests.Inference;

public sealed class StopStringMatcherTests
{
    private static int Feed(StopStringMatcher m, params string[] pieces)
    {
        foreach (string piece in pieces)
        {
            int hit = m.Append(Encoding.UTF8.GetBytes(piece));
            if (hit >= 0)
            {
                return hit;
            }
        }
        return -1;
    }

    [Fact]
    public void FindsAStopStringSplitAcrossPieces() =>
        Assert.Equal(1, Feed(new StopStringMatcher(["never", "</answer>"]), "The result</", "ans", "wer> and more"));

    [Fact]
    public void FindsMultiByteStopStringsSplitInsideACharacter()
    {
        var m = new StopStringMatcher(["｜end｜"]);
        byte[] bytes = Encoding.UTF8.GetBytes("ok｜end｜");
        int hit = -1;
        foreach (byte b in bytes)
        {
            hit = m.Append([b]);
            if (hit >= 0)
            {
                break;
            }
        }
        Assert.Equal(0, hit);
    }

    [Fact]
    public void TextWithoutTheStopStringRunsOn() =>
        Assert.Equal(-1, Feed(new StopStringMatcher(["STOP"]), "ST", "O", "P".ToLowerInvariant(), "STO"));
}
