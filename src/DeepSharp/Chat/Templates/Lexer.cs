using System.Globalization;
using System.Text;

namespace DeepSharp.Chat.Templates;

/// <summary>
/// Splits template source into tokens, applying Jinja's whitespace control the way Hugging Face transformers
/// configures it: <c>trim_blocks</c> and <c>lstrip_blocks</c> on, <c>{%-</c>/<c>-%}</c> (and the
/// <c>{{</c>/<c>{#</c> forms) strip whitespace, <c>{%+</c>/<c>+%}</c> opt out, and one trailing newline of the
/// template is dropped. Written as a hand scanner (no regular expressions), so it runs in linear time.
/// </summary>
internal sealed class Lexer
{
    private static readonly string[] Operators =
    [
        "**", "//", "==", "!=", "<=", ">=",
        "+", "-", "*", "/", "%", "~", "<", ">", "=", "(", ")", "[", "]", "{", "}", ",", ".", ":", "|",
    ];

    private readonly string _src;
    private readonly int[] _lineStarts;
    private readonly List<Token> _tokens = [];
    private int _pos;

    private Lexer(string source)
    {
        _src = StripOneTrailingNewline(source);
        var starts = new List<int> { 0 };
        for (int i = 0; i < _src.Length; i++)
        {
            if (_src[i] == '\n')
            {
                starts.Add(i + 1);
            }
        }
        _lineStarts = [.. starts];
    }

    /// <summary>Tokenizes a whole template; the list ends with an <see cref="TokenKind.EndOfInput"/> token.</summary>
    public static List<Token> Tokenize(string source)
    {
        var lexer = new Lexer(source);
        lexer.Run();
        return lexer._tokens;
    }

    private static string StripOneTrailingNewline(string s)
    {
        if (s.EndsWith("\r\n", StringComparison.Ordinal))
        {
            return s[..^2];
        }
        return s.EndsWith('\n') || s.EndsWith('\r') ? s[..^1] : s;
    }

    private SourcePosition PositionOf(int index)
    {
        int line = Array.BinarySearch(_lineStarts, index);
        if (line < 0)
        {
            line = ~line - 1;
        }
        return new SourcePosition(line + 1, index - _lineStarts[line] + 1);
    }

    private ChatTemplateException Error(string problem, int index)
    {
        var p = PositionOf(index);
        return new ChatTemplateException(problem, p.Line, p.Column);
    }

    private void Run()
    {
        bool stripLeading = false; // the previous tag ended with '-'
        bool trimNewline = false;  // the previous tag was a block or comment (trim_blocks)
        while (true)
        {
            int textStart = _pos;
            if (stripLeading)
            {
                while (textStart < _src.Length && char.IsWhiteSpace(_src[textStart]))
                {
                    textStart++;
                }
            }
            else if (trimNewline)
            {
                if (Matches(textStart, "\r\n"))
                {
                    textStart += 2;
                }
                else if (textStart < _src.Length && _src[textStart] == '\n')
                {
                    textStart++;
                }
            }

            int tag = FindTagStart(textStart);
            int textEnd = tag < 0 ? _src.Length : tag;
            if (tag < 0)
            {
                AddText(textStart, textEnd);
                break;
            }

            char kind = _src[tag + 1];   // '{', '%' or '#'
            char modifier = tag + 2 < _src.Length ? _src[tag + 2] : '\0';
            if (modifier == '-')
            {
                while (textEnd > textStart && char.IsWhiteSpace(_src[textEnd - 1]))
                {
                    textEnd--;
                }
            }
            else if (kind != '{' && modifier != '+')
            {
                textEnd = LstripBlock(textStart, textEnd);
            }
            AddText(textStart, textEnd);

            int inner = tag + 2;
            if (modifier == '-' || (modifier == '+' && kind != '{'))
            {
                inner++;
            }
            char closer;
            switch (kind)
            {
                case '#':
                    closer = LexComment(tag, inner);
                    break;
                case '{':
                    _tokens.Add(new Token(TokenKind.VariableBegin, "{{", PositionOf(tag)));
                    _pos = inner;
                    closer = LexExpression(TokenKind.VariableEnd, '}', tag);
                    break;
                default:
                    if (TryLexRaw(tag, inner, out closer))
                    {
                        break;
                    }
                    _tokens.Add(new Token(TokenKind.BlockBegin, "{%", PositionOf(tag)));
                    _pos = inner;
                    closer = LexExpression(TokenKind.BlockEnd, '%', tag);
                    break;
            }
            stripLeading = closer == '-';
            trimNewline = kind != '{' && closer == '\0';
        }
        _tokens.Add(new Token(TokenKind.EndOfInput, "", PositionOf(_src.Length)));
    }

    /// <summary>The index of the next <c>{{</c>, <c>{%</c> or <c>{#</c> at or after <paramref name="from"/>, or -1.</summary>
    private int FindTagStart(int from)
    {
        for (int i = _src.IndexOf('{', from); i >= 0 && i + 1 < _src.Length; i = _src.IndexOf('{', i + 1))
        {
            char next = _src[i + 1];
            if (next is '{' or '%' or '#')
            {
                return i;
            }
        }
        return -1;
    }

    /// <summary>
    /// lstrip_blocks: drop spaces and tabs between the start of the line and a block or comment tag, when
    /// nothing else stands there (the same rule as Jinja's lexer).
    /// </summary>
    private int LstripBlock(int textStart, int textEnd)
    {
        int lineStart = _src.LastIndexOf('\n', textEnd - 1 < 0 ? 0 : textEnd - 1, Math.Max(0, textEnd - textStart)) + 1;
        bool hasNewline = lineStart > textStart;
        if (!hasNewline)
        {
            bool textStartsLine = textStart == 0 || _src[textStart - 1] == '\n';
            if (!textStartsLine)
            {
                return textEnd;
            }
            lineStart = textStart;
        }
        for (int i = lineStart; i < textEnd; i++)
        {
            if (_src[i] is not (' ' or '\t'))
            {
                return textEnd;
            }
        }
        return lineStart;
    }

    private void AddText(int start, int end)
    {
        if (end > start)
        {
            _tokens.Add(new Token(TokenKind.Text, _src[start..end], PositionOf(start)));
        }
    }

    private bool Matches(int at, string s) => at >= 0 && at + s.Length <= _src.Length && _src.AsSpan(at, s.Length).SequenceEqual(s);

    /// <summary>Skips a comment; returns '-' when it ends with <c>-#}</c>, '+' for <c>+#}</c>, else '\0'.</summary>
    private char LexComment(int tag, int inner)
    {
        int end = _src.IndexOf("#}", inner, StringComparison.Ordinal);
        if (end < 0)
        {
            throw Error("unclosed comment: missing '#}'", tag);
        }
        _pos = end + 2;
        char before = end > inner ? _src[end - 1] : '\0';
        return before is '-' or '+' ? before : '\0';
    }

    /// <summary>
    /// Handles <c>{% raw %}...{% endraw %}</c>, whose body is copied verbatim. Returns false when the block
    /// is not a raw block.
    /// </summary>
    private bool TryLexRaw(int tag, int inner, out char closer)
    {
        closer = '\0';
        int i = SkipSpaces(inner);
        if (!Matches(i, "raw") || (i + 3 < _src.Length && (char.IsLetterOrDigit(_src[i + 3]) || _src[i + 3] == '_')))
        {
            return false;
        }
        int headEnd = EndOfTag(SkipSpaces(i + 3), tag, out char headCloser);
        int search = headEnd;
        while (true)
        {
            int candidate = _src.IndexOf("{%", search, StringComparison.Ordinal);
            if (candidate < 0)
            {
                throw Error("unclosed raw block: missing '{% endraw %}'", tag);
            }
            int j = candidate + 2;
            bool stripBefore = j < _src.Length && _src[j] == '-';
            if (j < _src.Length && _src[j] is '-' or '+')
            {
                j++;
            }
            j = SkipSpaces(j);
            if (Matches(j, "endraw"))
            {
                int bodyStart = headEnd;
                if (headCloser == '-')
                {
                    while (bodyStart < candidate && char.IsWhiteSpace(_src[bodyStart]))
                    {
                        bodyStart++;
                    }
                }
                else if (headCloser == '\0' && bodyStart < candidate && _src[bodyStart] == '\n')
                {
                    bodyStart++;
                }
                int bodyEnd = candidate;
                if (stripBefore)
                {
                    while (bodyEnd > bodyStart && char.IsWhiteSpace(_src[bodyEnd - 1]))
                    {
                        bodyEnd--;
                    }
                }
                AddText(bodyStart, bodyEnd);
                _pos = EndOfTag(SkipSpaces(j + 6), candidate, out closer);
                return true;
            }
            search = candidate + 2;
        }
    }

    private int SkipSpaces(int i)
    {
        while (i < _src.Length && char.IsWhiteSpace(_src[i]))
        {
            i++;
        }
        return i;
    }

    /// <summary>Expects <c>%}</c> (optionally <c>-%}</c> or <c>+%}</c>) at <paramref name="i"/>; returns the index after it.</summary>
    private int EndOfTag(int i, int tag, out char closer)
    {
        closer = '\0';
        if (i < _src.Length && _src[i] is '-' or '+')
        {
            closer = _src[i];
            i++;
        }
        if (!Matches(i, "%}"))
        {
            throw Error("expected '%}' to close the tag", tag);
        }
        return i + 2;
    }

    /// <summary>
    /// Lexes the expression tokens of a <c>{{ }}</c> or <c>{% %}</c> tag up to its closer. Returns '-' or '+'
    /// for a modified closer, else '\0'.
    /// </summary>
    private char LexExpression(TokenKind endKind, char closeChar, int tagStart)
    {
        int braceDepth = 0;
        while (true)
        {
            _pos = SkipSpaces(_pos);
            if (_pos >= _src.Length)
            {
                throw Error($"unexpected end of template: missing '{closeChar}}}' for the tag opened here", tagStart);
            }

            if (braceDepth == 0)
            {
                char c0 = _src[_pos];
                char mod = c0 is '-' or '+' ? c0 : '\0';
                int at = mod == '\0' ? _pos : _pos + 1;
                if (at + 1 < _src.Length && _src[at] == closeChar && _src[at + 1] == '}')
                {
                    _tokens.Add(new Token(endKind, closeChar + "}", PositionOf(at)));
                    _pos = at + 2;
                    return mod;
                }
            }

            char c = _src[_pos];
            if (c is '\'' or '"')
            {
                LexString(c);
            }
            else if (char.IsAsciiDigit(c))
            {
                LexNumber();
            }
            else if (char.IsLetter(c) || c == '_')
            {
                int start = _pos;
                while (_pos < _src.Length && (char.IsLetterOrDigit(_src[_pos]) || _src[_pos] == '_'))
                {
                    _pos++;
                }
                _tokens.Add(new Token(TokenKind.Name, _src[start.._pos], PositionOf(start)));
            }
            else
            {
                string? op = null;
                foreach (string candidate in Operators)
                {
                    if (Matches(_pos, candidate))
                    {
                        op = candidate;
                        break;
                    }
                }
                if (op is null)
                {
                    throw Error($"unexpected character '{c}'", _pos);
                }
                if (op == "{")
                {
                    braceDepth++;
                }
                else if (op == "}")
                {
                    braceDepth--;
                }
                _tokens.Add(new Token(TokenKind.Operator, op, PositionOf(_pos)));
                _pos += op.Length;
            }
        }
    }

    private void LexNumber()
    {
        int start = _pos;
        bool isFloat = false;
        SkipDigits();
        bool afterDot = _tokens.Count > 0 && _tokens[^1].IsOperator(".");
        if (!afterDot && _pos + 1 < _src.Length && _src[_pos] == '.' && char.IsAsciiDigit(_src[_pos + 1]))
        {
            isFloat = true;
            _pos++;
            SkipDigits();
        }
        if (!afterDot && _pos < _src.Length && _src[_pos] is 'e' or 'E')
        {
            int save = _pos;
            _pos++;
            if (_pos < _src.Length && _src[_pos] is '+' or '-')
            {
                _pos++;
            }
            if (_pos < _src.Length && char.IsAsciiDigit(_src[_pos]))
            {
                isFloat = true;
                SkipDigits();
            }
            else
            {
                _pos = save;
            }
        }
        string text = _src[start.._pos].Replace("_", "", StringComparison.Ordinal);
        _tokens.Add(new Token(isFloat ? TokenKind.Float : TokenKind.Integer, text, PositionOf(start)));
    }

    private void SkipDigits()
    {
        while (_pos < _src.Length && (char.IsAsciiDigit(_src[_pos]) || (_src[_pos] == '_' && _pos + 1 < _src.Length && char.IsAsciiDigit(_src[_pos + 1]))))
        {
            _pos++;
        }
    }

    /// <summary>Lexes a quoted string with Python's escape sequences (unknown escapes keep their backslash).</summary>
    private void LexString(char quote)
    {
        int start = _pos;
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (_pos >= _src.Length)
            {
                throw Error("unterminated string literal", start);
            }
            char c = _src[_pos++];
            if (c == quote)
            {
                break;
            }
            if (c != '\\')
            {
                sb.Append(c);
                continue;
            }
            if (_pos >= _src.Length)
            {
                throw Error("unterminated string literal", start);
            }
            char e = _src[_pos++];
            switch (e)
            {
                case 'n': sb.Append('\n'); break;
                case 't': sb.Append('\t'); break;
                case 'r': sb.Append('\r'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'v': sb.Append('\v'); break;
                case 'a': sb.Append('\a'); break;
                case '0': sb.Append('\0'); break;
                case '\\': sb.Append('\\'); break;
                case '\'': sb.Append('\''); break;
                case '"': sb.Append('"'); break;
                case '\n': break; // line continuation
                case 'x': AppendHexEscape(sb, 2, start); break;
                case 'u': AppendHexEscape(sb, 4, start); break;
                case 'U': AppendHexEscape(sb, 8, start); break;
                default: sb.Append('\\').Append(e); break;
            }
        }
        _tokens.Add(new Token(TokenKind.String, sb.ToString(), PositionOf(start)));
    }

    private void AppendHexEscape(StringBuilder sb, int digits, int literalStart)
    {
        if (_pos + digits > _src.Length
            || !int.TryParse(_src.AsSpan(_pos, digits), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out int code)
            || (code > 0xFFFF && !Rune.IsValid(code)))
        {
            throw Error($"invalid \\{(digits == 2 ? 'x' : digits == 4 ? 'u' : 'U')} escape in string literal", literalStart);
        }
        // \u may name a lone surrogate, as in Python; larger code points become a surrogate pair.
        sb.Append(code <= 0xFFFF ? ((char)code).ToString() : new Rune(code).ToString());
        _pos += digits;
    }
}
