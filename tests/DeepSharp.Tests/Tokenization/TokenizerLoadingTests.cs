using DeepSharp.Formats.Gguf;
using DeepSharp.Tokenization;

namespace DeepSharp.Tests.Tokenization;

/// <summary>Loading from GGUF metadata and tokenizer.json: the paths that work and the clear errors for those that do not.</summary>
public sealed class TokenizerLoadingTests
{
    [Fact]
    public void LoadsAFolderAFileAndAGguf()
    {
        Assert.Equal("deepseek-v3", Tokenizer.Load(TestPaths.Shared("tokenizers", "deepseek_v3")).PreTokenizer.Name);
        Assert.Equal("llama-bpe", Tokenizer.Load(TestPaths.Shared("tokenizers", "llama3_1", "tokenizer.json")).PreTokenizer.Name);
        Assert.Equal("deepseek-coder", Tokenizer.Load(TestPaths.Shared("llamacpp-vocab", "ggml-vocab-deepseek-coder.gguf")).PreTokenizer.Name);
    }

    [Fact]
    public void UnknownGgufPreTokenizerIsAnError()
    {
        var e = Assert.Throws<NotSupportedException>(() => Tokenizer.FromGguf(TinyGguf(pre: "mystery-bpe")));
        Assert.Contains("'mystery-bpe'", e.Message);
    }

    [Fact]
    public void MissingGgufPreTokenizerIsAnError()
    {
        var e = Assert.Throws<InvalidDataException>(() => Tokenizer.FromGguf(TinyGguf(pre: null)));
        Assert.Contains("tokenizer.ggml.pre", e.Message);
    }

    [Fact]
    public void NonBpeGgufIsAnError()
    {
        var e = Assert.Throws<NotSupportedException>(() => Tokenizer.FromGguf(TinyGguf(model: "llama")));
        Assert.Contains("'llama'", e.Message);
    }

    [Fact]
    public void BadGgufMergeOrIdIsAnError()
    {
        Assert.Contains("merge 0", Assert.Throws<InvalidDataException>(() => Tokenizer.FromGguf(TinyGguf(merges: ["a z"]))).Message);
        Assert.Contains("entry 0", Assert.Throws<InvalidDataException>(() => Tokenizer.FromGguf(TinyGguf(merges: ["ab"]))).Message);
        Assert.Contains("bos_token_id", Assert.Throws<InvalidDataException>(() => Tokenizer.FromGguf(TinyGguf(bos: 99))).Message);
    }

    [Fact]
    public void TinyGgufTokenizes()
    {
        var tokenizer = Tokenizer.FromGguf(TinyGguf());
        // "abab": the merge a+b (rank 0) applies twice; BOS is added as the file asks.
        Assert.Equal([0, 3, 3], tokenizer.Encode("abab"));
        Assert.Equal("abab", tokenizer.Decode([3, 3]));
    }

    [Fact]
    public void UnrecognisedTokenizerJsonPatternIsAnError()
    {
        string json = File.ReadAllText(TestPaths.Shared("tokenizers", "qwen3", "tokenizer.json"))
            .Replace("\\\\p{N}|", "\\\\p{N}{1,2}|");
        string dir = Directory.CreateTempSubdirectory("deepsharp-tok").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "tokenizer.json"), json);
            var e = Assert.Throws<NotSupportedException>(() => Tokenizer.Load(dir));
            Assert.Contains("\\p{N}{1,2}", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void BrokenTokenizerJsonIsAnError()
    {
        string dir = Directory.CreateTempSubdirectory("deepsharp-tok").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "tokenizer.json"), "{\"model\": {\"type\": \"BPE\", \"vocab\": ");
            Assert.Throws<InvalidDataException>(() => Tokenizer.Load(dir));
            File.WriteAllText(Path.Combine(dir, "tokenizer.json"), "{\"model\": {\"type\": \"Unigram\"}}");
            Assert.Contains("Unigram", Assert.Throws<NotSupportedException>(() => Tokenizer.Load(dir)).Message);
            Assert.Throws<FileNotFoundException>(() => Tokenizer.Load(Path.Combine(dir, "missing")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // A three-token vocabulary (a, b, ab), one merge, and a BOS control token, written with our GGUF writer.
    private static GgufMetadata TinyGguf(string? model = "gpt2", string? pre = "gpt-2", string[]? merges = null, int bos = 0)
    {
        var writer = new GgufWriter();
        writer.Add("general.architecture", GgufValue.String("llama"));
        if (model is not null)
        {
            writer.Add("tokenizer.ggml.model", GgufValue.String(model));
        }
        if (pre is not null)
        {
            writer.Add("tokenizer.ggml.pre", GgufValue.String(pre));
        }
        writer.Add("tokenizer.ggml.tokens", GgufValue.StringArray(["<s>", "a", "b", "ab"]));
        writer.Add("tokenizer.ggml.token_type", GgufValue.Int32Array([3, 1, 1, 1]));
        writer.Add("tokenizer.ggml.merges", GgufValue.StringArray(merges ?? ["a b"]));
        writer.Add("tokenizer.ggml.bos_token_id", GgufValue.UInt32((uint)bos));
        writer.Add("tokenizer.ggml.add_bos_token", GgufValue.Bool(true));
        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        using var file = GgufFile.FromBytes(stream.ToArray());
        return file.Metadata;
    }
}
