using DeepSharp.Compute;

namespace DeepSharp.Tests.Compute;

/// <summary>The hash of a byte stream must not depend on how the stream was cut into pieces (files are written in parts and checked whole).</summary>
public sealed class ContentHashTests
{
    [Fact]
    public void PiecesOfAnyLengthHashLikeTheWhole()
    {
        var random = new Random(42);
        for (int trial = 0; trial < 500; trial++)
        {
            byte[] data = new byte[random.Next(0, 200)];
            random.NextBytes(data);
            var pieces = new ContentHash();
            for (int at = 0; at < data.Length;)
            {
                int length = Math.Min(data.Length - at, random.Next(0, 20));
                pieces.Add(data.AsSpan(at, length));
                at += length;
            }
            Assert.Equal(ContentHash.Of(data), pieces.Value);
        }
    }

    [Fact]
    public void DifferentBytesHashDifferently()
    {
        Assert.NotEqual(ContentHash.Of([1, 2, 3]), ContentHash.Of([1, 2, 4]));
        Assert.NotEqual(ContentHash.Of([]), ContentHash.Of([0]));
    }
}
