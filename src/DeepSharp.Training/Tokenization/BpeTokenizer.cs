using System.Text;
using DeepSharp.Fixtures;

namespace DeepSharp.Training.Tokenization;

/// <summary>
/// A byte-level BPE tokenizer as llama.cpp's "gpt2" model applies it: special tokens cut out first, then
/// Qwen2 pre-tokens, each byte-encoded and merged by rank. Ids 0–255 are the bytes, merged tokens follow in
/// merge order, the special tokens come last.
/// </summary>
public sealed class BpeTokenizer
{
    /// <summary>Special tokens in id order after the merges; the first two are BOS and EOS.</summary>
    public static IReadOnlyList<string> SpecialTokens => SyntheticVocabulary.SpecialTokens;

    private static readonly char[] s_byteChars = SyntheticVocabulary.ByteAlphabet();
    private static readonly Dictionary<char, byte> s_charBytes = Enumerable.Range(0, 256).ToDictionary(b => s_byteChars[b], b => (byte)b);

    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<(int, int), (int Rank, int Merged)> _merges = [];
    private readonly Dictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly string[] _specialsLongestFirst;

    /// <summary>Builds the tokenizer from merges "left right" in rank order.</summary>
    public BpeTokenizer(IReadOnlyList<string> merges)
    {
        var tokens = new List<string>(256 + merges.Count + SpecialTokens.Count);
        tokens.AddRange(s_byteChars.Select(c => c.ToString()));
        for (int i = 0; i < tokens.Count; i++)
        {
            _ids[tokens[i]] = i;
        }
        foreach (string merge in merges)
        {
            int space = merge.IndexOf(' ', 1);
            if (space < 0)
            {
                throw new ArgumentException($"merge '{merge}' has no separating space", nameof(merges));
            }
            string left = merge[..space], right = merge[(space + 1)..];
            if (!_ids.TryGetValue(left, out int l) || !_ids.TryGetValue(right, out int r))
            {
                throw new ArgumentException($"merge '{merge}' uses a token that no earlier merge made", nameof(merges));
            }
            string merged = left + right;
            if (_ids.ContainsKey(merged))
            {
                throw new ArgumentException($"merge '{merge}' repeats token '{merged}'", nameof(merges));
            }
            _ids[merged] = tokens.Count;
            _merges[(l, r)] = (_merges.Count, tokens.Count);
            tokens.Add(merged);
        }
        foreach (string special in SpecialTokens)
        {
            _ids[special] = tokens.Count;
            tokens.Add(special);
        }
        Tokens = tokens;
        Merges = [.. merges];
        _specialsLongestFirst = [.. SpecialTokens.OrderByDescending(s => s.Length)];
    }

    /// <summary>Token texts (byte-level form) by id.</summary>
    public IReadOnlyList<string> Tokens { get; }

    /// <summary>Merges in rank order.</summary>
    public IReadOnlyList<string> Merges { get; }

    /// <summary>Vocabulary size.</summary>
    public int VocabSize => Tokens.Count;

    /// <summary>Id of <c>&lt;｜begin▁of▁sentence｜&gt;</c>.</summary>
    public int BosId => VocabSize - SpecialTokens.Count;

    /// <summary>Id of <c>&lt;｜end▁of▁sentence｜&gt;</c>.</summary>
    public int EosId => BosId + 1;

    /// <summary>The id of a special token by its text.</summary>
    public int SpecialId(string text) =>
        SpecialTokens.Contains(text) ? _ids[text] : throw new ArgumentException($"'{text}' is not a special token", nameof(text));

    /// <summary>llama.cpp token types: 1 normal, 3 control for <c>&lt;｜…｜&gt;</c> tokens, 4 user-defined for the think tags.</summary>
    public int[] TokenTypes() =>
        [.. Tokens.Select((t, id) => id < BosId ? 1 : t.StartsWith("<｜", StringComparison.Ordinal) ? 3 : 4)];

    /// <summary>Encodes text; special-token texts in it become their ids.</summary>
    public List<int> Encode(string text)
    {
        var ids = new List<int>();
        EncodeSpecials(text, ids);
        return ids;
    }

    /// <summary>Decodes ids to text (special tokens as their text; invalid UTF-8 becomes U+FFFD).</summary>
    public string Decode(IEnumerable<int> ids)
    {
        var sb = new StringBuilder();
        var bytes = new List<byte>();
        foreach (int id in ids)
        {
            if ((uint)id >= (uint)VocabSize)
            {
                throw new ArgumentOutOfRangeException(nameof(ids), id, $"token id outside the vocabulary of {VocabSize}");
            }
            if (id >= BosId)
            {
                Flush();
                sb.Append(Tokens[id]);
                continue;
            }
            foreach (char c in Tokens[id])
            {
                bytes.Add(s_charBytes[c]);
            }
        }
        Flush();
        return sb.ToString();

        void Flush()
        {
            sb.Append(Encoding.UTF8.GetString([.. bytes]));
            bytes.Clear();
        }
    }

    private void EncodeSpecials(string text, List<int> ids)
    {
        int at = 0;
        while (at < text.Length)
        {
            int best = -1;
            string? bestToken = null;
            foreach (string special in _specialsLongestFirst)
            {
                int i = text.IndexOf(special, at, StringComparison.Ordinal);
                if (i >= 0 && (best < 0 || i < best))
                {
                    best = i;
                    bestToken = special;
                }
            }
            int end = best < 0 ? text.Length : best;
            foreach (string piece in PreTokenizer.Split(text[at..end]))
            {
                ids.AddRange(EncodePiece(piece));
            }
            if (bestToken is null)
            {
                break;
            }
            ids.Add(_ids[bestToken]);
            at = best + bestToken.Length;
        }
    }

    private int[] EncodePiece(string piece)
    {
        if (_cache.TryGetValue(piece, out int[]? cached))
        {
            return cached;
        }
        var symbols = Encoding.UTF8.GetBytes(piece).Select(b => (int)b).ToList();
        while (symbols.Count > 1)
        {
            int bestAt = -1, bestRank = int.MaxValue, bestMerged = 0;
            for (int i = 0; i + 1 < symbols.Count; i++)
            {
                if (_merges.TryGetValue((symbols[i], symbols[i + 1]), out var m) && m.Rank < bestRank)
                {
                    (bestAt, bestRank, bestMerged) = (i, m.Rank, m.Merged);
                }
            }
            if (bestAt < 0)
            {
                break;
            }
            symbols[bestAt] = bestMerged;
            symbols.RemoveAt(bestAt + 1);
        }
        int[] result = [.. symbols];
        if (_cache.Count < 1 << 16)
        {
            _cache[piece] = result;
        }
        return result;
    }

    /// <summary>The byte-level form of a UTF-8 string (each byte as its GPT-2 alphabet character).</summary>
    internal static string ByteLevel(string text) => new([.. Encoding.UTF8.GetBytes(text).Select(b => s_byteChars[b])]);
}
