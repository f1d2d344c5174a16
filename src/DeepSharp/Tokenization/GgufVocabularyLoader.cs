using DeepSharp.Formats.Gguf;

namespace DeepSharp.Tokenization;

/// <summary>
/// Builds a <see cref="Tokenizer"/> from the <c>tokenizer.ggml.*</c> metadata of a GGUF file, following
/// llama.cpp's reading of the same keys (defaults, the Llama-3 family's forced BOS and ignored merges, and
/// end-of-turn/end-of-generation tokens recognised by their text).
/// </summary>
internal static class GgufVocabularyLoader
{
    private const string Prefix = "tokenizer.ggml.";

    // Pre-tokenizers of the Llama-3 family: BOS on by default and whole-word vocabulary hits skip merging.
    private static readonly string[] s_llama3Family = ["llama-bpe", "llama3", "llama-v3"];

    // End markers llama.cpp treats as control tokens whatever the file says, so they are not matched in user
    // text unless special tokens are parsed.
    private static readonly string[] s_endMarkers =
        ["<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>", "<|end_of_text|>"];

    public static Tokenizer Load(GgufMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        string model = metadata.GetStringOrNull(Prefix + "model")
            ?? throw new InvalidDataException("GGUF metadata has no tokenizer (key 'tokenizer.ggml.model' is missing)");
        if (model != "gpt2")
        {
            throw new NotSupportedException($"tokenizer model '{model}' is not supported; DeepSharp reads byte-level BPE ('gpt2') vocabularies");
        }
        string pre = metadata.GetStringOrNull(Prefix + "pre")
            ?? throw new InvalidDataException("GGUF metadata lacks 'tokenizer.ggml.pre', so the pre-tokenizer is unknown");
        var preTokenizer = PreTokenizer.ForName(pre);
        bool llama3 = s_llama3Family.Contains(preTokenizer.Name);

        string[] tokens = metadata.GetStringArrayOrNull(Prefix + "tokens")
            ?? throw new InvalidDataException("GGUF metadata lacks 'tokenizer.ggml.tokens'");
        if (tokens.Length == 0)
        {
            throw new InvalidDataException("'tokenizer.ggml.tokens' is empty");
        }
        tokens = (string[])tokens.Clone();
        for (int i = 0; i < tokens.Length; i++)
        {
            if (tokens[i].Length == 0)
            {
                tokens[i] = $"[EMPTY_{i}]"; // llama.cpp's name for an empty entry
            }
        }

        var types = ReadTypes(metadata, tokens.Length);
        ForceControlForEndMarkers(tokens, types);

        string[] mergeLines = metadata.GetStringArrayOrNull(Prefix + "merges")
            ?? throw new InvalidDataException("GGUF metadata lacks 'tokenizer.ggml.merges'");
        var merges = new (string, string)[mergeLines.Length];
        for (int i = 0; i < mergeLines.Length; i++)
        {
            string line = mergeLines[i];
            int space = line.Length > 1 ? line.IndexOf(' ', 1) : -1; // the left part may itself be a space-like character
            if (space < 0)
            {
                throw new InvalidDataException($"'tokenizer.ggml.merges' entry {i} ('{line}') is not two tokens separated by a space");
            }
            merges[i] = (line[..space], line[(space + 1)..]);
        }

        var special = new SpecialTokenSettings
        {
            Bos = ReadId(metadata, "bos_token_id", tokens.Length),
            Eos = ReadId(metadata, "eos_token_id", tokens.Length),
            Eot = ReadId(metadata, "eot_token_id", tokens.Length),
            Pad = ReadId(metadata, "padding_token_id", tokens.Length),
            Unknown = ReadId(metadata, "unknown_token_id", tokens.Length),
            AddBos = metadata.GetBool(Prefix + "add_bos_token", llama3),
            AddEos = metadata.GetBool(Prefix + "add_eos_token", false),
        };
        var vocabulary = new Vocabulary(tokens, types, special);
        return new Tokenizer(vocabulary, merges, preTokenizer, ignoreMerges: llama3);
    }

    private static TokenType[] ReadTypes(GgufMetadata metadata, int count)
    {
        var types = new TokenType[count];
        if (!metadata.TryGetValue(Prefix + "token_type", out var value))
        {
            Array.Fill(types, TokenType.Normal);
            return types;
        }
        int[] raw;
        try
        {
            raw = value.AsArray().AsInt32s();
        }
        catch (Exception e) when (e is InvalidDataException or OverflowException)
        {
            throw new InvalidDataException($"'tokenizer.ggml.token_type': {e.Message}", e);
        }
        if (raw.Length < count)
        {
            throw new InvalidDataException($"'tokenizer.ggml.token_type' has {raw.Length} entries for {count} tokens");
        }
        for (int i = 0; i < count; i++)
        {
            types[i] = raw[i] is >= 1 and <= 6 ? (TokenType)raw[i] : TokenType.Undefined;
        }
        return types;
    }

    private static void ForceControlForEndMarkers(string[] tokens, TokenType[] types)
    {
        for (int i = 0; i < tokens.Length; i++)
        {
            if (s_endMarkers.Contains(tokens[i]))
            {
                types[i] = TokenType.Control;
            }
        }
    }

    private static int? ReadId(GgufMetadata metadata, string key, int count)
    {
        if (!metadata.Contains(Prefix + key))
        {
            return null;
        }
        long id = metadata.GetInt64(Prefix + key);
        if (id < 0 || id >= count)
        {
            throw new InvalidDataException($"'{Prefix}{key}' = {id} is outside the vocabulary of {count} tokens");
        }
        return (int)id;
    }
}
