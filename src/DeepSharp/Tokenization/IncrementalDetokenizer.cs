using System.Text;

namespace DeepSharp.Tokenization;

/// <summary>
/// Decodes a stream of token ids piece by piece. A character whose UTF-8 bytes are spread over several
/// tokens is held back until it is complete, so no piece ends in half a character; the concatenation of all
/// pieces and <see cref="Flush"/> equals <see cref="ITokenizer.Decode"/> of the whole sequence. Not thread-safe:
/// use one per stream.
/// </summary>
public sealed class IncrementalDetokenizer
{
    private readonly Vocabulary _vocabulary;
    private readonly bool _skipSpecial;
    private byte[] _pending = new byte[16];
    private int _pendingLength;

    /// <summary>Creates a detokenizer over <paramref name="vocabulary"/>.</summary>
    /// <param name="vocabulary">The tokens.</param>
    /// <param name="skipSpecial">Leave out control and unknown tokens.</param>
    public IncrementalDetokenizer(Vocabulary vocabulary, bool skipSpecial = false)
    {
        _vocabulary = vocabulary ?? throw new ArgumentNullException(nameof(vocabulary));
        _skipSpecial = skipSpecial;
    }

    /// <summary>True while bytes of an unfinished character are held back.</summary>
    public bool HasPendingBytes => _pendingLength > 0;

    /// <summary>Adds one token and returns the text it completes (often the token's own text; empty while a character is unfinished).</summary>
    public string Append(int tokenId)
    {
        if (_skipSpecial && _vocabulary.IsSpecial(tokenId))
        {
            return "";
        }
        var bytes = _vocabulary.GetTokenBytes(tokenId);
        if (_pendingLength + bytes.Length > _pending.Length)
        {
            Array.Resize(ref _pending, Math.Max(_pending.Length * 2, _pendingLength + bytes.Length));
        }
        bytes.CopyTo(_pending.AsSpan(_pendingLength));
        _pendingLength += bytes.Length;

        int complete = _pendingLength - IncompleteTailLength(_pending.AsSpan(0, _pendingLength));
        if (complete == 0)
        {
            return "";
        }
        string text = Encoding.UTF8.GetString(_pending, 0, complete);
        _pending.AsSpan(complete, _pendingLength - complete).CopyTo(_pending);
        _pendingLength -= complete;
        return text;
    }

    /// <summary>Returns whatever is held back (an unfinished character becomes U+FFFD) and clears the state.</summary>
    public string Flush()
    {
        string text = _pendingLength == 0 ? "" : Encoding.UTF8.GetString(_pending, 0, _pendingLength);
        _pendingLength = 0;
        return text;
    }

    /// <summary>Drops anything held back.</summary>
    public void Reset() => _pendingLength = 0;

    /// <summary>
    /// Length of a trailing sequence that is the valid start of a UTF-8 character still missing bytes, or 0.
    /// Invalid bytes are not held: the decoder replaces them exactly as a whole-sequence decode would.
    /// </summary>
    internal static int IncompleteTailLength(ReadOnlySpan<byte> bytes)
    {
        // Look back over at most three continuation bytes to the lead byte of the last character.
        for (int back = 1; back <= Math.Min(3, bytes.Length); back++)
        {
            byte b = bytes[^back];
            if ((b & 0xC0) == 0x80)
            {
                continue; // continuation byte
            }
            int needed = b switch
            {
                >= 0xC2 and <= 0xDF => 2,
                >= 0xE0 and <= 0xEF => 3,
                >= 0xF0 and <= 0xF4 => 4,
                _ => 0, // ASCII or a byte that can never start a character
            };
            if (needed <= back || !IsValidPrefix(bytes[^back..]))
            {
                return 0;
            }
            return back;
        }
        return 0;
    }

    // The second byte of some sequences has a narrower range (no overlongs, no surrogates, nothing past U+10FFFF).
    private static bool IsValidPrefix(ReadOnlySpan<byte> prefix)
    {
        if (prefix.Length < 2)
        {
            return true;
        }
        byte lead = prefix[0], second = prefix[1];
        return lead switch
        {
            0xE0 => second >= 0xA0,
            0xED => second <= 0x9F,
            0xF0 => second >= 0x90,
            0xF4 => second <= 0x8F,
            _ => true,
        };
    }
}
