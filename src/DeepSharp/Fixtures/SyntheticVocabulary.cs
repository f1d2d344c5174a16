namespace DeepSharp.Fixtures;

/// <summary>
/// A valid byte-level BPE vocabulary of any size for random-weight fixtures: the 256 byte tokens of the
/// GPT-2 byte-to-unicode alphabet, merged tokens each formed from two earlier tokens (so every merge is
/// consistent), then DeepSeek's special tokens. llama.cpp and DeepSharp both load it.
/// </summary>
public sealed class SyntheticVocabulary
{
    /// <summary>Special tokens appended at the end of the vocabulary, in this order.</summary>
    public static IReadOnlyList<string> SpecialTokens { get; } =
    [
        "<｜begin▁of▁sentence｜>", "<｜end▁of▁sentence｜>", "<｜User｜>", "<｜Assistant｜>", "<think>", "</think>",
    ];

    private SyntheticVocabulary(string[] tokens, int[] tokenTypes, string[] merges)
    {
        Tokens = tokens;
        TokenTypes = tokenTypes;
        Merges = merges;
    }

    /// <summary>Token texts in byte-level form, indexed by id.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>llama.cpp token types: 1 normal, 3 control, 4 user-defined.</summary>
    public IReadOnlyList<int> TokenTypes { get; }

    /// <summary>Merges "left right" in rank order.</summary>
    public IReadOnlyList<string> Merges { get; }

    /// <summary>Id of the beginning-of-sentence token.</summary>
    public int BosId => Tokens.Count - SpecialTokens.Count;

    /// <summary>Id of the end-of-sentence token.</summary>
    public int EosId => BosId + 1;

    /// <summary>Builds a vocabulary of exactly <paramref name="size"/> tokens.</summary>
    public static SyntheticVocabulary Create(int size, ulong seed)
    {
        int minimum = 256 + SpecialTokens.Count;
        if (size < minimum)
        {
            throw new ArgumentOutOfRangeException(nameof(size), size, $"a byte-level vocabulary needs at least {minimum} tokens");
        }
        var tokens = new List<string>(size);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (char c in ByteAlphabet())
        {
            tokens.Add(c.ToString());
            known.Add(c.ToString());
        }
        var merges = new List<string>();
        var rng = FixtureRandom.ForStream(seed, "vocabulary");
        int merged = size - SpecialTokens.Count;
        while (tokens.Count < merged)
        {
            // Favour short, early tokens as parts so merged tokens stay word-sized.
            string left = tokens[rng.NextInt(Math.Min(tokens.Count, 256 + tokens.Count / 8))];
            string right = tokens[rng.NextInt(Math.Min(tokens.Count, 256 + tokens.Count / 8))];
            string token = left + right;
            if (token.Length <= 12 && known.Add(token))
            {
                tokens.Add(token);
                merges.Add(left + " " + right);
            }
        }
        var types = Enumerable.Repeat(1, tokens.Count).ToList();
        foreach (string special in SpecialTokens)
        {
            tokens.Add(special);
            types.Add(special.StartsWith("<｜", StringComparison.Ordinal) ? 3 : 4);
        }
        return new SyntheticVocabulary([.. tokens], [.. types], [.. merges]);
    }

    /// <summary>The GPT-2 byte-to-unicode alphabet: the character that stands for each byte 0..255.</summary>
    public static char[] ByteAlphabet()
    {
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF;
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }
}
