using System.Text;
using CsCheck;

namespace DeepSharp.Tests.Tokenization;

/// <summary>
/// CsCheck generators of hostile Unicode text: astral characters (emoji, math letters, CJK Ext-B, unassigned
/// planes), combining marks, control characters, every kind of white space, digits, contractions, special
/// tokens and Hangul jamo, glued together in random order. Only Unicode scalar values are produced (no lone
/// surrogates), so every string survives the trip to UTF-8 unchanged.
/// </summary>
internal static class RandomText
{
    private static readonly string[] s_snippets =
    [
        "'s", "'S", "'re", "'LL", "'ſ", "'d", "\r\n", "\r\n\r\n", "  ", "\t\t", " \n", "...", "!!", "--", "_x",
        ".NET", "$var", "<｜User｜>", "<｜Assistant｜>", "<｜end▁of▁sentence｜>", "<|im_start|>", "<|im_end|>",
        "<think>", "</think>", "<|begin_of_text|>", "<|eot_id|>", "<|EOT|>", "👨‍👩‍👧", "❤️", "🇩🇪", "e\u0301",
        "the", " the", "Hello", " world", "ing", "tion", "中文", "日本語", "ひらがな", "カタカナ",
    ];

    private static readonly int[] s_whiteSpace =
    [
        ' ', '\t', '\n', '\r', 0x0B, 0x0C, 0x85, 0xA0, 0x1680, 0x2000, 0x2005, 0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
    ];

    private static Gen<string> CodePoint(int first, int last) =>
        Gen.Int[first, last].Select(cp => cp is >= 0xD800 and <= 0xDFFF ? "\uFFFD" : char.ConvertFromUtf32(cp));

    private static readonly Gen<string> s_piece = Gen.Frequency(
        (30, CodePoint(0x20, 0x7E)),                                   // ASCII printable
        (8, Gen.Int[0, s_whiteSpace.Length - 1].Select(i => char.ConvertFromUtf32(s_whiteSpace[i]))),
        (4, Gen.OneOf(CodePoint(0x00, 0x1F), CodePoint(0x7F, 0x9F))),   // control characters
        (6, CodePoint(0xA0, 0x24F)),                                   // Latin-1 and Latin Extended
        (6, Gen.OneOf(CodePoint(0x300, 0x36F), CodePoint(0x1AB0, 0x1AFF), CodePoint(0x20D0, 0x20FF))), // combining marks
        (4, Gen.OneOf(CodePoint(0x370, 0x4FF), CodePoint(0x590, 0x6FF), CodePoint(0x900, 0x97F), CodePoint(0xE00, 0xE7F))),
        (6, Gen.OneOf(CodePoint(0x4E00, 0x9FFF), CodePoint(0x3000, 0x30FF), CodePoint(0xAC00, 0xD7A3), CodePoint(0x1100, 0x11FF))),
        (3, Gen.OneOf(CodePoint(0xFF00, 0xFFEF), CodePoint(0x2000, 0x2BFF), CodePoint(0xE000, 0xF8FF), CodePoint(0xFE00, 0xFE0F))),
        (6, Gen.OneOf(CodePoint(0x1F300, 0x1FAFF), CodePoint(0x1D400, 0x1D7FF), CodePoint(0x10400, 0x1044F), CodePoint(0x20000, 0x2A6DF))),
        (2, CodePoint(0x10000, 0x10FFFF)),                             // anywhere outside the BMP, assigned or not
        (4, Gen.Long[0, 999_999_999_999L].Select(n => n.ToString())),  // digit runs
        (8, Gen.Int[0, s_snippets.Length - 1].Select(i => s_snippets[i])));

    /// <summary>Strings of 0 to 40 random pieces.</summary>
    public static Gen<string> Strings { get; } = s_piece.Array[0, 40].Select(parts => string.Concat(parts));

    /// <summary>Prints a string as escaped code points, for failure messages.</summary>
    public static string Describe(string s)
    {
        var sb = new StringBuilder();
        foreach (var rune in s.EnumerateRunes())
        {
            sb.Append(rune.Value is >= 0x20 and < 0x7F ? ((char)rune.Value).ToString() : $"\\u{{{rune.Value:X}}}");
        }
        return sb.ToString();
    }
}
