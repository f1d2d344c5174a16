using DeepSharp.Tokenization;

namespace DeepSharp.Tests.Tokenization;

/// <summary>GPT-2's byte↔character table, checked against its published definition and examples.</summary>
public sealed class ByteLevelEncodingTests
{
    [Theory]
    [InlineData(0x20, 0x120)] // space → Ġ
    [InlineData(0x0A, 0x10A)] // \n → Ċ
    [InlineData(0x09, 0x109)] // \t → ĉ
    [InlineData(0x0D, 0x10D)] // \r
    [InlineData(0x00, 0x100)]
    [InlineData(0x7F, 0x121)]
    [InlineData(0xA0, 0x142)]
    [InlineData(0xAD, 0x143)]
    [InlineData(0x21, 0x21)]
    [InlineData(0x7E, 0x7E)]
    [InlineData(0xA1, 0xA1)]
    [InlineData(0xFF, 0xFF)]
    public void MapsBytesAsGpt2Does(int value, int expected)
    {
        Assert.Equal((char)expected, ByteLevelEncoding.ToChar((byte)value));
        Assert.Equal(value, ByteLevelEncoding.ToByte((char)expected));
    }

    [Fact]
    public void IsABijectionOntoPrintableCharacters()
    {
        var chars = Enumerable.Range(0, 256).Select(b => ByteLevelEncoding.ToChar((byte)b)).ToArray();
        Assert.Equal(256, chars.Distinct().Count());
        Assert.All(chars, c => Assert.False(char.IsWhiteSpace(c) || char.IsControl(c), $"U+{(int)c:X4}"));
        Assert.Equal(-1, ByteLevelEncoding.ToByte(' '));
        Assert.Equal(-1, ByteLevelEncoding.ToByte('中'));
    }

    [Fact]
    public void RoundTripsUtf8()
    {
        byte[] bytes = System.Text.Encoding.UTF8.GetBytes("Hello, world! 😀 ß\n");
        string encoded = ByteLevelEncoding.Encode(bytes);
        Assert.StartsWith("Hello,Ġworld!Ġ", encoded);
        var back = new byte[encoded.Length];
        Assert.True(ByteLevelEncoding.TryDecode(encoded, back));
        Assert.Equal(bytes, back);
        Assert.False(ByteLevelEncoding.TryDecode("a b", new byte[3]));
    }
}
