using DeepSharp.Tokenization.Unicode;

namespace DeepSharp.Tokenization.PreTokenizers;

/// <summary>
/// The pre-tokenizers DeepSharp implements, by llama.cpp name, with the regular expressions each one stands
/// for (as written in Hugging Face <c>tokenizer.json</c> files and llama.cpp's <c>llama-vocab.cpp</c>), so a
/// <c>tokenizer.json</c> can be recognised by its split patterns.
/// </summary>
internal static class PreTokenizerRegistry
{
    private const string Contractions = "(?i:'s|'t|'re|'ve|'m|'ll|'d)";
    private const string ContractionsUnrolled = "(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";
    private const string Gpt4Tail = "| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private const string Llama3Body = "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}{1,3}" + Gpt4Tail;
    private const string Qwen2Body = "|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}" + Gpt4Tail;
    private const string Qwen35Body =
        "|[^\\r\\n\\p{L}\\p{N}]?[\\p{L}\\p{M}]+|\\p{N}| ?[^\\s\\p{L}\\p{M}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";
    private const string Gpt2Pattern = "'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+";
    private const string DeepSeekCjk = "[\u4E00-\u9FA5\u0800-\u4E00\uAC00-\uD7FF]+";

    private static readonly Definition[] s_definitions =
    [
        new(["deepseek-v3"],
            [
                "\\p{N}{1,3}",
                "[\u4E00-\u9FA5\u3040-\u309F\u30A0-\u30FF]+",
                "[!\"#$%&'()*+,\\-./:;<=>?@\\[\\\\\\]^_`{|}~][A-Za-z]+|[^\r\n\\p{L}\\p{P}\\p{S}]?[\\p{L}\\p{M}]+| ?[\\p{P}\\p{S}]+[\r\n]*|\\s*[\r\n]+|\\s+(?!\\S)|\\s+",
            ],
            _ =>
            [
                new CharRunRule(new CodePointSet(CharClass.Number), 3),
                new CharRunRule(new CodePointSet(CharClass.None, (0x4E00, 0x9FA5), (0x3040, 0x309F), (0x30A0, 0x30FF))),
                new DeepSeekV3WordRule(),
            ]),
        new(["deepseek-llm"],
            [
                "[\r\n]",
                "\\s?[" + DeepSeekLlmCharSets.LetterClassSource + "]+",
                "\\s?[!-/:-~\uFF01-\uFF0F\uFF1A-\uFF5E\u2018-\u201F\u3000-\u3002]+",
                "\\s+$",
                DeepSeekCjk,
                "\\p{N}+",
            ],
            _ =>
            [
                LineBreakRule(),
                new OptionalSpaceRunRule(DeepSeekLlmCharSets.Letters),
                new OptionalSpaceRunRule(DeepSeekLlmCharSets.Punctuation),
                new TrailingWhitespaceRule(),
                new CharRunRule(DeepSeekCjkSet()),
                new CharRunRule(new CodePointSet(CharClass.Number)),
            ]),
        new(["deepseek-coder"],
            ["[\r\n]", "\\s?\\p{L}+", "\\s?\\p{P}+", DeepSeekCjk, "\\p{N}"],
            _ =>
            [
                LineBreakRule(),
                new OptionalSpaceRunRule(new CodePointSet(CharClass.Letter)),
                new OptionalSpaceRunRule(new CodePointSet(CharClass.Punctuation)),
                new CharRunRule(DeepSeekCjkSet()),
                new CharRunRule(new CodePointSet(CharClass.Number), 1),
            ]),
        new(["qwen2", "deepseek-r1-qwen"],
            [Contractions + Qwen2Body, ContractionsUnrolled + Qwen2Body],
            fold => [new Gpt4StyleRule(maxDigits: 1, marksJoinLetters: false, fold)],
            AlternativesOfOneSplit: true),
        new(["qwen35"],
            [Contractions + Qwen35Body, ContractionsUnrolled + Qwen35Body],
            fold => [new Gpt4StyleRule(maxDigits: 1, marksJoinLetters: true, fold)],
            AlternativesOfOneSplit: true),
        new(["llama-bpe", "llama3", "llama-v3"],
            [Contractions + Llama3Body, ContractionsUnrolled + Llama3Body],
            fold => [new Gpt4StyleRule(maxDigits: 3, marksJoinLetters: false, fold)],
            AlternativesOfOneSplit: true),
        new(["gpt-2", "gpt2"],
            [Gpt2Pattern],
            _ => [new Gpt2Rule()]),
    ];

    /// <summary>Every accepted name.</summary>
    public static IReadOnlyList<string> Names { get; } = s_definitions.SelectMany(d => d.Names).ToArray();

    /// <summary>The pre-tokenizer of a llama.cpp name, with llama.cpp's semantics.</summary>
    public static PreTokenizer Create(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        foreach (var d in s_definitions)
        {
            if (d.Names.Contains(name, StringComparer.Ordinal))
            {
                return new PreTokenizer(d.Names[0], d.CreateRules(false));
            }
        }
        throw new NotSupportedException(
            $"pre-tokenizer '{name}' is not supported; DeepSharp implements: {string.Join(", ", Names)}");
    }

    /// <summary>
    /// Finds the pre-tokenizer whose regular expressions are exactly <paramref name="patterns"/> (the
    /// <c>Split</c> patterns of a <c>tokenizer.json</c>, in order), or null.
    /// </summary>
    public static PreTokenizer? FromPatterns(IReadOnlyList<string> patterns)
    {
        var canonical = patterns.Select(UnescapeCodePoints).ToArray();
        foreach (var d in s_definitions)
        {
            bool match = d.AlternativesOfOneSplit
                ? canonical.Length == 1 && d.Patterns.Contains(canonical[0], StringComparer.Ordinal)
                : canonical.SequenceEqual(d.Patterns, StringComparer.Ordinal);
            if (match)
            {
                // Oniguruma's (?i:...) folds case by Unicode rules; the unrolled '[sS] form does not.
                bool fold = canonical[^1].StartsWith(Contractions, StringComparison.Ordinal);
                return new PreTokenizer(d.Names[0], d.CreateRules(fold));
            }
        }
        return null;
    }

    /// <summary>Replaces regex code-point escapes (<c>\uXXXX</c>, <c>\UXXXXXXXX</c>, <c>\x{…}</c>) by the characters.</summary>
    internal static string UnescapeCodePoints(string pattern)
    {
        var sb = new System.Text.StringBuilder(pattern.Length);
        for (int i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '\\' && i + 1 < pattern.Length)
            {
                int cp = -1, consumed = 0;
                char kind = pattern[i + 1];
                if (kind == 'u' && TryHex(pattern, i + 2, 4, out cp))
                {
                    consumed = 6;
                }
                else if (kind == 'U' && TryHex(pattern, i + 2, 8, out cp))
                {
                    consumed = 10;
                }
                else if (kind == 'x' && i + 2 < pattern.Length && pattern[i + 2] == '{')
                {
                    int close = pattern.IndexOf('}', i + 3);
                    if (close > i + 3 && TryHex(pattern, i + 3, close - i - 3, out cp))
                    {
                        consumed = close - i + 1;
                    }
                }
                if (consumed > 0 && System.Text.Rune.IsValid(cp))
                {
                    sb.Append(char.ConvertFromUtf32(cp));
                    i += consumed - 1;
                    continue;
                }
                sb.Append(pattern[i]).Append(kind); // keep other escapes, including an escaped backslash
                i++;
                continue;
            }
            sb.Append(pattern[i]);
        }
        return sb.ToString();
    }

    private static bool TryHex(string s, int start, int length, out int value)
    {
        value = 0;
        if (length is < 1 or > 8 || start + length > s.Length)
        {
            return false;
        }
        return int.TryParse(s.AsSpan(start, length), System.Globalization.NumberStyles.AllowHexSpecifier, null, out value);
    }

    private static CharRunRule LineBreakRule() => new(new CodePointSet(CharClass.None, ('\n', '\n'), ('\r', '\r')), 1);

    private static CodePointSet DeepSeekCjkSet() =>
        new(CharClass.None, (0x4E00, 0x9FA5), (0x0800, 0x4DFF), (0xAC00, 0xD7FF));

    private sealed record Definition(
        string[] Names, string[] Patterns, Func<bool, SplitRule[]> CreateRules, bool AlternativesOfOneSplit = false);
}
