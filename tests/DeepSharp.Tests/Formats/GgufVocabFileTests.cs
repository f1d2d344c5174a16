using DeepSharp.Formats.Gguf;

namespace DeepSharp.Tests.Formats;

/// <summary>GGUF files written by llama.cpp's own tools must load.</summary>
public sealed class GgufVocabFileTests
{
    public static TheoryData<string> VocabFiles() =>
        new(Directory.GetFiles(TestPaths.Shared("llamacpp-vocab"), "*.gguf").Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(VocabFiles))]
    public void LlamaCppVocabularyLoads(string fileName)
    {
        using var file = GgufFile.Open(TestPaths.Shared("llamacpp-vocab", fileName));
        Assert.Equal(3, file.Version);
        Assert.Equal("gpt2", file.Metadata.GetStringOrNull("tokenizer.ggml.model"));
        string[] tokens = file.Metadata.GetStringArrayOrNull("tokenizer.ggml.tokens")!;
        Assert.True(tokens.Length > 30_000, $"{tokens.Length} tokens");
        Assert.NotNull(file.Metadata.GetStringOrNull("general.architecture"));
    }
}
