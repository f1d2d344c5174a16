using DeepSharp.Formats.Gguf;

namespace DeepSharp.Tokenization;

public sealed partial class Tokenizer
{
    /// <summary>
    /// Loads a tokenizer from a GGUF file, a <c>tokenizer.json</c> file, or a folder holding
    /// <c>tokenizer.json</c> (and optionally <c>tokenizer_config.json</c>).
    /// </summary>
    /// <exception cref="FileNotFoundException">Nothing usable is at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is malformed; the message says where.</exception>
    /// <exception cref="NotSupportedException">The tokenizer is of a kind DeepSharp does not implement.</exception>
    public static Tokenizer Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path))
        {
            string json = Path.Combine(path, "tokenizer.json");
            if (!File.Exists(json))
            {
                throw new FileNotFoundException($"folder '{path}' has no tokenizer.json", json);
            }
            return FromHuggingFace(json);
        }
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"'{path}' does not exist", path);
        }
        if (IsGguf(path))
        {
            using var file = GgufFile.Open(path);
            return FromGguf(file);
        }
        return FromHuggingFace(path);
    }

    /// <summary>Builds the tokenizer described by a GGUF file's <c>tokenizer.ggml.*</c> metadata.</summary>
    /// <exception cref="InvalidDataException">A tokenizer key is missing or malformed.</exception>
    /// <exception cref="NotSupportedException">The tokenizer model or pre-tokenizer is not implemented.</exception>
    public static Tokenizer FromGguf(GgufFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        return GgufVocabularyLoader.Load(file.Metadata);
    }

    /// <summary>Builds the tokenizer described by GGUF metadata.</summary>
    /// <inheritdoc cref="FromGguf(GgufFile)"/>
    public static Tokenizer FromGguf(GgufMetadata metadata) => GgufVocabularyLoader.Load(metadata);

    /// <summary>
    /// Loads a Hugging Face <c>tokenizer.json</c>; <paramref name="tokenizerConfigPath"/> defaults to the
    /// <c>tokenizer_config.json</c> beside it, when there is one.
    /// </summary>
    /// <exception cref="InvalidDataException">A file is malformed; the message names it.</exception>
    /// <exception cref="NotSupportedException">The tokenizer is not a byte-level BPE DeepSharp implements.</exception>
    public static Tokenizer FromHuggingFace(string tokenizerJsonPath, string? tokenizerConfigPath = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(tokenizerJsonPath);
        if (tokenizerConfigPath is null)
        {
            string sibling = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(tokenizerJsonPath))!, "tokenizer_config.json");
            tokenizerConfigPath = File.Exists(sibling) ? sibling : null;
        }
        try
        {
            return HfTokenizerJsonLoader.Load(tokenizerJsonPath, tokenizerConfigPath);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw new InvalidDataException($"{tokenizerJsonPath}: not valid JSON ({e.Message})", e);
        }
    }

    private static bool IsGguf(string path)
    {
        Span<byte> magic = stackalloc byte[4];
        using var stream = File.OpenRead(path);
        return stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false) == 4 && magic.SequenceEqual("GGUF"u8);
    }
}
