using System.Runtime.CompilerServices;

namespace DeepSharp.Tokenization;

/// <summary>
/// GPT-2's reversible byte-to-character table used by byte-level BPE vocabularies: bytes 0x21–0x7E,
/// 0xA1–0xAC and 0xAE–0xFF stand for the character of the same code; the other 68 bytes (0x00–0x20,
/// 0x7F–0xA0, 0xAD), in increasing order, stand for U+0100 … U+0143. So a space is "Ġ" (U+0120) and a line
/// feed "Ċ" (U+010A), and every vocabulary entry is printable text.
/// </summary>
public static class ByteLevelEncoding
{
    private static readonly char[] s_byteToChar = BuildByteToChar();
    private static readonly short[] s_charToByte = BuildCharToByte(s_byteToChar);

    /// <summary>The character that stands for <paramref name="value"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static char ToChar(byte value) => s_byteToChar[value];

    /// <summary>The byte a character stands for, or -1 when the character is not in the table.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ToByte(char c) => c < s_charToByte.Length ? s_charToByte[c] : -1;

    /// <summary>Encodes bytes (usually UTF-8 text) as byte-level characters.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes) =>
        string.Create(bytes.Length, bytes, static (chars, b) => Encode(b, chars));

    /// <summary>Encodes bytes into <paramref name="destination"/>, one character per byte.</summary>
    public static void Encode(ReadOnlySpan<byte> bytes, Span<char> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, bytes.Length, nameof(destination));
        for (int i = 0; i < bytes.Length; i++)
        {
            destination[i] = s_byteToChar[bytes[i]];
        }
    }

    /// <summary>
    /// Decodes byte-level text back to bytes. Returns false (and writes nothing useful) if a character is not in
    /// the table; otherwise <paramref name="destination"/> receives exactly <c>text.Length</c> bytes.
    /// </summary>
    public static bool TryDecode(ReadOnlySpan<char> text, Span<byte> destination)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(destination.Length, text.Length, nameof(destination));
        for (int i = 0; i < text.Length; i++)
        {
            int b = ToByte(text[i]);
            if (b < 0)
            {
                return false;
            }
            destination[i] = (byte)b;
        }
        return true;
    }

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        int next = 0x100;
        for (int b = 0; b < 256; b++)
        {
            bool printable = b is (>= 0x21 and <= 0x7E) or (>= 0xA1 and <= 0xAC) or (>= 0xAE and <= 0xFF);
            map[b] = printable ? (char)b : (char)next++;
        }
        return map;
    }

    private static short[] BuildCharToByte(char[] byteToChar)
    {
        var map = new short[0x144];
        Array.Fill(map, (short)-1);
        for (int b = 0; b < 256; b++)
        {
            map[byteToChar[b]] = (short)b;
        }
        return map;
    }
}
