using System.Text.Json;
using DeepSharp.Cli;
using DeepSharp.Fixtures;
using DeepSharp.Inference;
using DeepSharp.Models;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Cli;

public sealed class LogitsCommandTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"deepsharp-logits-{Guid.NewGuid():N}.gguf");

    public LogitsCommandTests() =>
        ModelFixtureWriter.Write(new FixtureSpec("logits-test", Tests.Inference.TinyModels.Config("tiny-llama"), GgmlType.F16), _path);

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void JsonHoldsEveryPositionWithAll()
    {
        var output = new StringWriter();
        Assert.Equal(0, LogitsCommand.Run(_path, [3, 1, 4, 1, 5], allPositions: true, asJson: true, kvF32: false, output));
        using var json = JsonDocument.Parse(output.ToString());
        var rows = json.RootElement.GetProperty("logits").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetSingle()).ToArray()).ToArray();
        Assert.Equal(5, rows.Length);
        Assert.All(rows, r => Assert.Equal(300, r.Length));
        Assert.Equal([0, 1, 2, 3, 4], json.RootElement.GetProperty("positions").EnumerateArray().Select(p => p.GetInt32()));
        using var model = TransformerModel.Load(_path);
        var expected = new InferenceSession(model).EvaluateAll([3, 1, 4, 1, 5]);
        Assert.Equal(expected[2], rows[2]);
    }

    [Fact]
    public void WithoutAllOnlyTheLastPositionIsPrinted()
    {
        var output = new StringWriter();
        Assert.Equal(0, LogitsCommand.Run(_path, [3, 1, 4], allPositions: false, asJson: true, kvF32: true, output));
        using var json = JsonDocument.Parse(output.ToString());
        Assert.Single(json.RootElement.GetProperty("logits").EnumerateArray());
        Assert.Equal(2, json.RootElement.GetProperty("positions")[0].GetInt32());
    }

    [Theory]
    [InlineData("1,x,3")]
    [InlineData("-4")]
    [InlineData(" , ")]
    public void BadTokenListsAreErrors(string text) => Assert.Throws<ArgumentException>(() => LogitsCommand.ParseTokens(text));

    [Fact]
    public void ParsesSpacesAroundIds() => Assert.Equal([1, 22, 333], LogitsCommand.ParseTokens(" 1, 22 ,333"));

    [Fact]
    public void TooManyTokensFailWithAClearMessage() =>
        Assert.Throws<ContextFullException>(() => LogitsCommand.Run(_path, Enumerable.Repeat(1, 97).ToArray(), false, true, false, new StringWriter()));
}
