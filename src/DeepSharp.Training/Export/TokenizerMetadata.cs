using DeepSharp.Evaluation;
using DeepSharp.Formats.Gguf;
using DeepSharp.Training.Tokenization;

namespace DeepSharp.Training.Export;

/// <summary>Writes and reads the trainer's BPE tokenizer as GGUF <c>tokenizer.*</c> metadata (FACTS.md §4.1).</summary>
public static class TokenizerMetadata
{
    /// <summary>Adds the vocabulary, merges, special ids and the R1-style chat template.</summary>
    public static void Add(GgufWriter w, BpeTokenizer tokenizer)
    {
        w.Add("tokenizer.ggml.model", GgufValue.String("gpt2"));
        w.Add("tokenizer.ggml.pre", GgufValue.String(PreTokenizer.GgufName));
        w.Add("tokenizer.ggml.tokens", GgufValue.StringArray(tokenizer.Tokens));
        w.Add("tokenizer.ggml.token_type", GgufValue.Int32Array(tokenizer.TokenTypes()));
        w.Add("tokenizer.ggml.merges", GgufValue.StringArray(tokenizer.Merges));
        w.Add("tokenizer.ggml.bos_token_id", GgufValue.UInt32((uint)tokenizer.BosId));
        w.Add("tokenizer.ggml.eos_token_id", GgufValue.UInt32((uint)tokenizer.EosId));
        w.Add("tokenizer.ggml.padding_token_id", GgufValue.UInt32((uint)tokenizer.EosId));
        w.Add("tokenizer.ggml.add_bos_token", GgufValue.Bool(true));
        w.Add("tokenizer.ggml.add_eos_token", GgufValue.Bool(false));
        w.Add("tokenizer.chat_template", GgufValue.String(R1Prompt.ChatTemplate));
    }

    /// <summary>Rebuilds the tokenizer from a GGUF file written by <see cref="Add"/>.</summary>
    public static BpeTokenizer Read(GgufFile file)
    {
        var merges = file.Metadata.GetStringArrayOrNull("tokenizer.ggml.merges")
            ?? throw new InvalidDataException("the model has no tokenizer.ggml.merges");
        var tokenizer = new BpeTokenizer(merges);
        var tokens = file.Metadata.GetStringArrayOrNull("tokenizer.ggml.tokens");
        if (tokens is null || !tokens.SequenceEqual(tokenizer.Tokens))
        {
            throw new InvalidDataException("the model's token list is not the trainer's byte-level layout (bytes, merges, specials)");
        }
        return tokenizer;
    }
}
