using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace DeepSharp.Tokenization.Unicode;

/// <summary>
/// Classifies code points (not UTF-16 units) by general category and White_Space, using the runtime's
/// Unicode tables (.NET 10: Unicode 16.0, the same version as the Oniguruma inside Hugging Face tokenizers).
/// </summary>
internal static class CharClassifier
{
    // One byte per BMP code point, filled once; astral code points are rare and looked up directly.
    private static readonly CharClass[] s_bmp = BuildBmp();

    /// <summary>The class of a code point.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CharClass Classify(int codePoint) =>
        (uint)codePoint < 0x10000u ? s_bmp[codePoint] : ClassifySlow(codePoint);

    /// <summary>
    /// Reads the code point at <paramref name="index"/>; a lone surrogate reads as U+FFFD, as it does once
    /// the text is converted to UTF-8. Returns the number of UTF-16 units consumed (1 or 2).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int Read(ReadOnlySpan<char> text, int index, out int codePoint)
    {
        char c = text[index];
        if (!char.IsSurrogate(c))
        {
            codePoint = c;
            return 1;
        }
        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            codePoint = char.ConvertToUtf32(c, text[index + 1]);
            return 2;
        }
        codePoint = 0xFFFD;
        return 1;
    }

    /// <summary>The class of the code point at <paramref name="index"/>, or <see cref="CharClass.None"/> past the end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static CharClass ClassAt(ReadOnlySpan<char> text, int index)
    {
        if ((uint)index >= (uint)text.Length)
        {
            return CharClass.None;
        }
        char c = text[index];
        if (!char.IsSurrogate(c))
        {
            return s_bmp[c];
        }
        Read(text, index, out int cp);
        return Classify(cp);
    }

    private static CharClass ClassifySlow(int codePoint)
    {
        if (!Rune.IsValid(codePoint))
        {
            return CharClass.None;
        }
        var rune = new Rune(codePoint);
        return FromCategory(Rune.GetUnicodeCategory(rune)) | (Rune.IsWhiteSpace(rune) ? CharClass.WhiteSpace : 0);
    }

    private static CharClass[] BuildBmp()
    {
        var table = new CharClass[0x10000];
        for (int cp = 0; cp < table.Length; cp++)
        {
            char c = (char)cp;
            table[cp] = FromCategory(CharUnicodeInfo.GetUnicodeCategory(c)) | (char.IsWhiteSpace(c) ? CharClass.WhiteSpace : 0);
        }
        return table;
    }

    private static CharClass FromCategory(UnicodeCategory category) => category switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CharClass.Letter,
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => CharClass.Mark,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CharClass.Number,
        UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
            or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
            or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => CharClass.Punctuation,
        UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
            or UnicodeCategory.OtherSymbol => CharClass.Symbol,
        _ => CharClass.None,
    };
}
