using System.Collections.Frozen;
using System.Text;

namespace DeepSharp.Tokenization;

/// <summary>
/// The tokens of a byte-level BPE model: each id's text (byte-level encoded for ordinary tokens, plain text for
/// added tokens), its <see cref="TokenType"/>, the special ids, and the UTF-8 bytes each token decodes to.
/// Immutable and safe to share between threads.
/// </summary>
public sealed class Vocabulary
{
    // Texts that end generation besides EOS/EOT (llama.cpp keeps a similar list, since files rarely say).
    private static readonly string[] s_endOfGenerationTexts =
    [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|eom_id|>", "<EOT>",
        "<|end_of_text|>", "<｜end▁of▁sentence｜>",
    ];

    // Texts llama.cpp recognises as the end-of-turn token when the file does not name one, in priority order.
    private static readonly string[] s_endOfTurnTexts =
    [
        "<|eot_id|>", "<|im_end|>", "<|end|>", "<end_of_turn>", "<|endoftext|>", "<|end_of_text|>", "<EOT>",
    ];

    private readonly string[] _tokens;
    private readonly TokenType[] _types;
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _idsBySpan;
    private readonly byte[] _pieceBytes;
    private readonly int[] _pieceOffsets;

    /// <summary>Creates a vocabulary.</summary>
    /// <param name="tokens">Token text by id.</param>
    /// <param name="types">Token type by id (same length as <paramref name="tokens"/>).</param>
    /// <param name="special">Special ids and BOS/EOS rules; every id given must be in range.</param>
    /// <param name="addedTokensAreByteLevel">
    /// How added (control, user-defined, unknown) tokens decode. False: as their plain text, as llama.cpp does.
    /// True: like every other token, through the byte-level table when all their characters are in it, as
    /// Hugging Face's ByteLevel decoder does.
    /// </param>
    /// <exception cref="ArgumentException">The arrays differ in length, or a special id is out of range.</exception>
    public Vocabulary(IReadOnlyList<string> tokens, IReadOnlyList<TokenType> types, SpecialTokenSettings special,
        bool addedTokensAreByteLevel = false)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        ArgumentNullException.ThrowIfNull(types);
        ArgumentNullException.ThrowIfNull(special);
        if (tokens.Count != types.Count)
        {
            throw new ArgumentException($"{tokens.Count} tokens but {types.Count} token types", nameof(types));
        }
        _tokens = tokens.ToArray();
        _types = types.ToArray();
        _ids = new Dictionary<string, int>(_tokens.Length, StringComparer.Ordinal);
        for (int i = 0; i < _tokens.Length; i++)
        {
            _ids[_tokens[i] ?? throw new ArgumentException($"token {i} is null", nameof(tokens))] = i; // a duplicate text maps to its last id, as in llama.cpp
        }
        _idsBySpan = _ids.GetAlternateLookup<ReadOnlySpan<char>>();

        foreach (var (name, id) in new[] { ("BOS", special.Bos), ("EOS", special.Eos), ("EOT", special.Eot), ("padding", special.Pad), ("unknown", special.Unknown) })
        {
            if (id is { } v && (uint)v >= (uint)_tokens.Length)
            {
                throw new ArgumentException($"{name} token id {v} is outside the vocabulary of {_tokens.Length} tokens", nameof(special));
            }
        }
        if (special.AddBos && special.Bos is null)
        {
            throw new ArgumentException("the model asks for a BOS token but names none", nameof(special));
        }
        if (special.AddEos && special.Eos is null)
        {
            throw new ArgumentException("the model asks for an EOS token but names none", nameof(special));
        }
        Special = special with { Eot = special.Eot ?? FindFirst(s_endOfTurnTexts) };
        EndOfGenerationIds = FindEndOfGeneration().ToFrozenSet();
        (_pieceBytes, _pieceOffsets) = BuildPieces(addedTokensAreByteLevel);
    }

    /// <summary>Number of tokens.</summary>
    public int Count => _tokens.Length;

    /// <summary>Special ids and BOS/EOS rules.</summary>
    public SpecialTokenSettings Special { get; }

    /// <summary>Beginning-of-sequence id, if any.</summary>
    public int? BosId => Special.Bos;

    /// <summary>End-of-sequence id, if any.</summary>
    public int? EosId => Special.Eos;

    /// <summary>End-of-turn id, if any.</summary>
    public int? EotId => Special.Eot;

    /// <summary>Whether the model prepends BOS when special tokens are added.</summary>
    public bool AddBos => Special.AddBos;

    /// <summary>Whether the model appends EOS when special tokens are added.</summary>
    public bool AddEos => Special.AddEos;

    /// <summary>Ids that end generation: EOS, EOT and other well-known end markers present in the vocabulary.</summary>
    public IReadOnlySet<int> EndOfGenerationIds { get; }

    /// <summary>The stored text of a token (byte-level encoded for ordinary tokens).</summary>
    public string GetToken(int id) => _tokens[CheckId(id)];

    /// <summary>The type of a token.</summary>
    public TokenType GetTokenType(int id) => _types[CheckId(id)];

    /// <summary>True for tokens that decoding with <c>skipSpecial</c> leaves out (control and unknown tokens).</summary>
    public bool IsSpecial(int id) => _types[CheckId(id)] is TokenType.Control or TokenType.Unknown;

    /// <summary>True for tokens that end generation.</summary>
    public bool IsEndOfGeneration(int id) => EndOfGenerationIds.Contains(id);

    /// <summary>Finds the id of a token by its stored text.</summary>
    public bool TryGetId(string token, out int id) => _ids.TryGetValue(token, out id);

    /// <summary>Finds the id of a token by its stored text, without allocating.</summary>
    public bool TryGetId(ReadOnlySpan<char> token, out int id) => _idsBySpan.TryGetValue(token, out id);

    /// <summary>The UTF-8 bytes a token stands for (possibly part of a character).</summary>
    public ReadOnlySpan<byte> GetTokenBytes(int id)
    {
        CheckId(id);
        return _pieceBytes.AsSpan(_pieceOffsets[id], _pieceOffsets[id + 1] - _pieceOffsets[id]);
    }

    private int CheckId(int id) =>
        (uint)id < (uint)_tokens.Length ? id : throw new ArgumentOutOfRangeException(nameof(id), id, $"token id must be below {_tokens.Length}");

    private int? FindFirst(string[] texts)
    {
        foreach (string text in texts)
        {
            if (_ids.TryGetValue(text, out int id))
            {
                return id;
            }
        }
        return null;
    }

    private IEnumerable<int> FindEndOfGeneration()
    {
        if (Special.Eos is { } eos)
        {
            yield return eos;
        }
        if (Special.Eot is { } eot)
        {
            yield return eot;
        }
        foreach (string text in s_endOfGenerationTexts)
        {
            if (_ids.TryGetValue(text, out int id) && _types[id] is TokenType.Control or TokenType.UserDefined)
            {
                yield return id;
            }
        }
    }

    private (byte[] Bytes, int[] Offsets) BuildPieces(bool addedTokensAreByteLevel)
    {
        var offsets = new int[_tokens.Length + 1];
        var bytes = new List<byte>(_tokens.Length * 8);
        Span<byte> buffer = stackalloc byte[1024];
        for (int i = 0; i < _tokens.Length; i++)
        {
            string text = _tokens[i];
            bool added = _types[i] is TokenType.Control or TokenType.UserDefined or TokenType.Unknown;
            bool decoded = (addedTokensAreByteLevel || !added)
                && text.Length <= buffer.Length && ByteLevelEncoding.TryDecode(text, buffer);
            if (decoded)
            {
                bytes.AddRange(buffer[..text.Length]);
            }
            else
            {
                // Plain text, or (as Hugging Face does) a token with a character outside the byte table.
                bytes.AddRange(Encoding.UTF8.GetBytes(text));
            }
            offsets[i + 1] = bytes.Count;
        }
        return (bytes.ToArray(), offsets);
    }
}
