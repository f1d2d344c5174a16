using System.CommandLine;
using System.Text.Json;
using DeepSharp.Cli;

namespace DeepSharp.Tests.Cli;

/// <summary><c>deepsharp tokenize</c>, run in-process with captured output.</summary>
public sealed class TokenizeCommandTests
{
    private static readonly string s_v3 = TestPaths.Shared("tokenizers", "deepseek_v3");

    [Fact]
    public void JsonPrintsTheIdsHuggingFacePublished()
    {
        // From test_vectors.json: "Hello, my dog is cute" → 19923 14 1026 6397 344 33125; DeepSeek-V3 adds BOS 0.
        var (code, output, _) = Run("tokenize", s_v3, "Hello, my dog is cute", "--json");
        Assert.Equal(0, code);
        Assert.Equal([0, 19923, 14, 1026, 6397, 344, 33125], JsonSerializer.Deserialize<int[]>(output)!);

        (code, output, _) = Run("tokenize", s_v3, "Hello, my dog is cute", "--json", "--no-bos");
        Assert.Equal([19923, 14, 1026, 6397, 344, 33125], JsonSerializer.Deserialize<int[]>(output)!);
    }

    [Fact]
    public void SpecialParsesControlTokensAndFileReadsText()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "<｜begin▁of▁sentence｜>");
            var (_, plain, _) = Run("tokenize", s_v3, "--file", path, "--json", "--no-bos");
            var (_, special, _) = Run("tokenize", s_v3, "--file", path, "--json", "--no-bos", "--special");
            Assert.Equal([0], JsonSerializer.Deserialize<int[]>(special)!);
            Assert.DoesNotContain(0, JsonSerializer.Deserialize<int[]>(plain)!);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void ListsTokensWithTheirText()
    {
        string gguf = TestPaths.Shared("llamacpp-vocab", "ggml-vocab-llama-bpe.gguf");
        var (code, output, _) = Run("tokenize", gguf, "Hello world");
        Assert.Equal(0, code);
        string[] lines = output.TrimEnd().Split('\n');
        Assert.Equal(["128000", "9906", "1917"], lines[..^1].Select(l => l.Trim().Split(' ')[0]));
        Assert.EndsWith("\" world\"", lines[2]);
        Assert.Equal("3 tokens", lines[^1]);
    }

    [Fact]
    public void ErrorsAreReportedNotThrown()
    {
        var (code, _, error) = Run("tokenize", "/no/such/model", "x");
        Assert.Equal(1, code);
        Assert.Contains("does not exist", error);

        (code, _, error) = Run("tokenize", s_v3);
        Assert.NotEqual(0, code);
        Assert.Contains("exactly one", error);
    }

    private static (int Code, string Output, string Error) Run(params string[] args)
    {
        var root = new RootCommand { TokenizeCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        int code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }
}
