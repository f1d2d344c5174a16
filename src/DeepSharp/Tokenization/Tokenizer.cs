using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using System.Text;
using DeepSharp.Tokenization.Unicode;

namespace DeepSharp.Tokenization;

/// <summary>
/// Byte-level BPE tokenizer of the DeepSeek, Qwen and Llama-3 families. Encoding runs: added tokens are
/// cut out first (<see cref="SpecialTokenSplitter"/>), the remaining text is optionally NFC-normalised,
/// split into pre-tokens by the family's <see cref="PreTokenizer"/>, and each pre-token's UTF-8 bytes are
/// merged by rank. The ids equal those of Hugging Face tokenizers and llama.cpp for the same files.
/// Thread-safe; load once and share.
/// </summary>
public sealed partial class Tokenizer : ITokenizer
{
    private const int MaxCachedWordLength = 64;
    private const int MaxCacheEntries = 200_000;

    private readonly BpeModel _bpe;
    private readonly SpecialTokenSplitter _splitter;
    // Pre-token text → ids. Words repeat a lot in real text, so most pre-tokens skip BPE entirely.
    private readonly ConcurrentDictionary<string, int[]> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _cacheBySpan;
    private int _cacheCount;

    /// <summary>Creates a tokenizer from its parts.</summary>
    /// <param name="vocabulary">The tokens.</param>
    /// <param name="merges">BPE merges in rank order (best first), as pairs of token texts.</param>
    /// <param name="preTokenizer">The family's pre-tokenizer.</param>
    /// <param name="ignoreMerges">Emit a pre-token that is itself a vocabulary entry directly (Llama-3).</param>
    /// <param name="normalization">Normalisation of raw text before pre-tokenization.</param>
    /// <exception cref="InvalidDataException">A merge names a token the vocabulary lacks.</exception>
    public Tokenizer(Vocabulary vocabulary, IReadOnlyList<(string Left, string Right)> merges, PreTokenizer preTokenizer,
        bool ignoreMerges = false, TextNormalization normalization = TextNormalization.None)
    {
        Vocabulary = vocabulary ?? throw new ArgumentNullException(nameof(vocabulary));
        PreTokenizer = preTokenizer ?? throw new ArgumentNullException(nameof(preTokenizer));
        ArgumentNullException.ThrowIfNull(merges);
        Normalization = normalization;
        _bpe = new BpeModel(vocabulary, merges, ignoreMerges);
        _splitter = new SpecialTokenSplitter(vocabulary);
        _cacheBySpan = _cache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <inheritdoc />
    public Vocabulary Vocabulary { get; }

    /// <summary>The pre-tokenizer.</summary>
    public PreTokenizer PreTokenizer { get; }

    /// <summary>Normalisation of raw text before pre-tokenization.</summary>
    public TextNormalization Normalization { get; }

    /// <summary>Whether a pre-token that is a vocabulary entry is emitted without merging (Llama-3).</summary>
    public bool IgnoreMerges => _bpe.IgnoreMerges;

    /// <summary>Number of BPE merges in use.</summary>
    public int MergeCount => _bpe.MergeCount;

    /// <inheritdoc />
    public int[] Encode(string text, bool addSpecial = true, bool parseSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var output = new List<int>(text.Length / 3 + 4);
        Encode(text, output, addSpecial, parseSpecial);
        return output.ToArray();
    }

    /// <summary>Encodes text, appending the ids to <paramref name="output"/>.</summary>
    /// <inheritdoc cref="Encode(string, bool, bool)"/>
    public void Encode(string text, List<int> output, bool addSpecial = true, bool parseSpecial = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(output);
        if (addSpecial && Vocabulary.AddBos)
        {
            output.Add(Vocabulary.BosId!.Value);
        }
        if (_splitter.HasTokens)
        {
            var segments = new List<SpecialTokenSplitter.TextSegment>();
            _splitter.Split(text, parseSpecial, segments);
            foreach (var segment in segments)
            {
                if (segment.IsToken)
                {
                    output.Add(segment.TokenId);
                }
                else
                {
                    EncodeText(text, segment.Start, segment.Length, output);
                }
            }
        }
        else
        {
            EncodeText(text, 0, text.Length, output);
        }
        if (addSpecial && Vocabulary.AddEos)
        {
            output.Add(Vocabulary.EosId!.Value);
        }
    }

    /// <inheritdoc />
    public string Decode(ReadOnlySpan<int> ids, bool skipSpecial = false)
    {
        int total = 0;
        foreach (int id in ids)
        {
            if (!skipSpecial || !Vocabulary.IsSpecial(id))
            {
                total += Vocabulary.GetTokenBytes(id).Length;
            }
        }
        byte[] buffer = ArrayPool<byte>.Shared.Rent(Math.Max(total, 1));
        try
        {
            int length = 0;
            foreach (int id in ids)
            {
                if (!skipSpecial || !Vocabulary.IsSpecial(id))
                {
                    var piece = Vocabulary.GetTokenBytes(id);
                    piece.CopyTo(buffer.AsSpan(length));
                    length += piece.Length;
                }
            }
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public IncrementalDetokenizer CreateDetokenizer(bool skipSpecial = false) => new(Vocabulary, skipSpecial);

    private void EncodeText(string text, int start, int length, List<int> output)
    {
        if (Normalization == TextNormalization.Nfc && !NfcNormalizer.IsNormalized(text.AsSpan(start, length)))
        {
            text = NfcNormalizer.Normalize(text.Substring(start, length));
            start = 0;
            length = text.Length;
        }
        var sink = new WordSink(this, text, start, output);
        PreTokenizer.Split(text.AsSpan(start, length), ref sink);
    }

    private void EncodeWord(ReadOnlySpan<char> word, List<int> output)
    {
        if (_cacheBySpan.TryGetValue(word, out int[]? cached))
        {
            output.AddRange(cached);
            return;
        }
        int maxBytes = word.Length * 3;
        byte[]? rented = null;
        Span<byte> bytes = maxBytes <= 1024 ? stackalloc byte[1024] : (rented = ArrayPool<byte>.Shared.Rent(maxBytes));
        int byteCount = Encoding.UTF8.GetBytes(word, bytes); // a lone surrogate becomes U+FFFD, as in every UTF-8 tokenizer
        int before = output.Count;
        _bpe.Encode(bytes[..byteCount], output);
        if (rented is not null)
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
        if (word.Length <= MaxCachedWordLength)
        {
            if (Interlocked.Increment(ref _cacheCount) > MaxCacheEntries)
            {
                _cache.Clear(); // crude but bounded; the hot words come back within a few sentences
                Interlocked.Exchange(ref _cacheCount, 0);
            }
            _cacheBySpan.TryAdd(word, CollectionsMarshal.AsSpan(output)[before..].ToArray());
        }
    }

    private readonly struct WordSink(Tokenizer tokenizer, string text, int offset, List<int> output) : IPreTokenSink
    {
        public void Add(int start, int length) => tokenizer.EncodeWord(text.AsSpan(offset + start, length), output);
    }
}
