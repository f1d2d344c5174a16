namespace DeepSharp.Inference.Sampling;

/// <summary>
/// A byte-at-a-time recogniser of one JSON object (RFC 8259, UTF-8), small enough to copy by value so that a
/// candidate token can be tried on a copy. It accepts exactly the prefixes of valid JSON objects: every byte
/// that could not continue one is refused. Nesting is limited to <see cref="MaxDepth"/> levels and runs of
/// whitespace between tokens to <see cref="MaxWhitespace"/> bytes, so a constrained model cannot stall in them.
/// </summary>
internal struct JsonScanner
{
    /// <summary>Deepest nesting of objects and arrays.</summary>
    public const int MaxDepth = 64;

    /// <summary>Longest run of whitespace between JSON tokens.</summary>
    public const int MaxWhitespace = 32;

    private const byte NotStarted = 0, ValueStart = 1, ArrayFirst = 2, ObjectFirst = 3, KeyStart = 4, Colon = 5,
        InString = 6, Escape = 7, UnicodeEscape = 8, NumMinus = 9, NumZero = 10, NumInt = 11, NumDot = 12, NumFrac = 13,
        NumExp = 14, NumExpSign = 15, NumExpDigits = 16, Literal = 17, AfterValue = 18, Complete = 19;

    private static readonly string[] s_literals = ["true", "false", "null"];

    private ulong _stack;      // bit i set: level i is an object (else an array)
    private int _depth;
    private byte _mode;
    private bool _inKey;       // the string being read is an object key
    private int _aux;          // hex digits left, literal index × 8 + position, or UTF-8 continuation bytes left
    private int _whitespace;

    /// <summary>True once the top-level object has closed; nothing but the end may follow.</summary>
    public readonly bool IsComplete => _mode == Complete;

    /// <summary>Nesting depth now (0 outside the top-level object).</summary>
    public readonly int Depth => _depth;

    /// <summary>
    /// The fewest bytes that complete the object from here (a lower bound on the tokens needed, and exact when every
    /// single byte is a token): the rest of the current string, number or literal, the missing key and value, and
    /// one closing bracket per open level.
    /// </summary>
    public readonly int ClosingCost
    {
        get
        {
            int current = _mode switch
            {
                NotStarted => 2,                                        // {}
                ValueStart or NumMinus or NumDot or NumExp or NumExpSign => 1,
                KeyStart => 4,                                          // "":0
                Colon => 2,                                             // :0
                InString => (_inKey ? 3 : 1) + _aux,                    // " (then :0 after a key), after the UTF-8 bytes still owed
                Escape => _inKey ? 4 : 2,
                UnicodeEscape => _aux + (_inKey ? 3 : 1),
                Literal => s_literals[_aux >> 3].Length - (_aux & 7),
                _ => 0,
            };
            return current + _depth;
        }
    }

    /// <summary>Feeds one byte; false when the byte cannot continue valid JSON (the scanner is then spoilt: try bytes on a copy).</summary>
    public bool Push(byte b)
    {
        switch (_mode)
        {
            case NotStarted:
                return Whitespace(b) || (b == '{' && Open(true));
            case ValueStart:
                return Whitespace(b) || StartValue(b);
            case ArrayFirst:
                return Whitespace(b) || (b == ']' ? Close(false) : StartValue(b));
            case ObjectFirst:
                return Whitespace(b) || (b == '}' ? Close(true) : b == '"' && StartString(key: true));
            case KeyStart:
                return Whitespace(b) || (b == '"' && StartString(key: true));
            case Colon:
                return Whitespace(b) || (b == ':' && Enter(ValueStart));
            case InString:
                return StringByte(b);
            case Escape:
                if (b == 'u')
                {
                    _aux = 4;
                    return Enter(UnicodeEscape);
                }
                return b is (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t' && Enter(InString);
            case UnicodeEscape:
                if (!char.IsAsciiHexDigit((char)b))
                {
                    return false;
                }
                return --_aux > 0 || Enter(InString);
            case NumMinus:
                return b == '0' ? Enter(NumZero) : IsDigit1To9(b) && Enter(NumInt);
            case NumZero:
                return b == '.' ? Enter(NumDot) : b is (byte)'e' or (byte)'E' ? Enter(NumExp) : EndNumber(b);
            case NumInt:
                return char.IsAsciiDigit((char)b) || (b == '.' ? Enter(NumDot) : b is (byte)'e' or (byte)'E' ? Enter(NumExp) : EndNumber(b));
            case NumDot:
                return char.IsAsciiDigit((char)b) && Enter(NumFrac);
            case NumFrac:
                return char.IsAsciiDigit((char)b) || (b is (byte)'e' or (byte)'E' ? Enter(NumExp) : EndNumber(b));
            case NumExp:
                return b is (byte)'+' or (byte)'-' ? Enter(NumExpSign) : char.IsAsciiDigit((char)b) && Enter(NumExpDigits);
            case NumExpSign:
                return char.IsAsciiDigit((char)b) && Enter(NumExpDigits);
            case NumExpDigits:
                return char.IsAsciiDigit((char)b) || EndNumber(b);
            case Literal:
                string literal = s_literals[_aux >> 3];
                int position = _aux & 7;
                if (b != literal[position])
                {
                    return false;
                }
                _aux++;
                return position + 1 < literal.Length || EndValue();
            case AfterValue:
                return Whitespace(b) || AfterValueByte(b);
            default:
                return false;   // Complete: nothing may follow
        }
    }

    private bool Enter(byte mode)
    {
        _mode = mode;
        _whitespace = 0;
        return true;
    }

    private bool Whitespace(byte b)
    {
        if (b is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r') || _whitespace >= MaxWhitespace)
        {
            return false;
        }
        _whitespace++;
        return true;
    }

    private static bool IsDigit1To9(byte b) => b is >= (byte)'1' and <= (byte)'9';

    private bool StartValue(byte b)
    {
        switch (b)
        {
            case (byte)'{':
                return Open(true);
            case (byte)'[':
                return Open(false);
            case (byte)'"':
                return StartString(key: false);
            case (byte)'-':
                return Enter(NumMinus);
            case (byte)'0':
                return Enter(NumZero);
            case (byte)'t' or (byte)'f' or (byte)'n':
                _aux = (b == 't' ? 0 : b == 'f' ? 1 : 2) << 3 | 1;
                return Enter(Literal);
            default:
                return IsDigit1To9(b) && Enter(NumInt);
        }
    }

    private bool Open(bool isObject)
    {
        if (_depth >= MaxDepth)
        {
            return false;
        }
        _stack = isObject ? _stack | (1UL << _depth) : _stack & ~(1UL << _depth);
        _depth++;
        return Enter(isObject ? ObjectFirst : ArrayFirst);
    }

    private readonly bool TopIsObject => (_stack >> (_depth - 1) & 1) != 0;

    private bool Close(bool isObject)
    {
        if (_depth == 0 || TopIsObject != isObject)
        {
            return false;
        }
        _depth--;
        return EndValue();
    }

    private bool EndValue() => Enter(_depth == 0 ? Complete : AfterValue);

    private bool StartString(bool key)
    {
        _inKey = key;
        _aux = 0;
        return Enter(InString);
    }

    private bool StringByte(byte b)
    {
        if (_aux > 0)
        {
            // Inside a multi-byte UTF-8 character: only continuation bytes.
            if (b is < 0x80 or > 0xBF)
            {
                return false;
            }
            _aux--;
            return true;
        }
        switch (b)
        {
            case (byte)'"':
                return _inKey ? Enter(Colon) : EndValue();
            case (byte)'\\':
                return Enter(Escape);
            case < 0x20:
                return false;
            case < 0x80:
                return true;
            case >= 0xC2 and <= 0xDF:
                _aux = 1;
                return true;
            case >= 0xE0 and <= 0xEF:
                _aux = 2;
                return true;
            case >= 0xF0 and <= 0xF4:
                _aux = 3;
                return true;
            default:
                return false;
        }
    }

    /// <summary>A number ends at the first byte that cannot extend it; that byte is then read as what follows a value.</summary>
    private bool EndNumber(byte b)
    {
        EndValue();
        return _mode != Complete && (Whitespace(b) || AfterValueByte(b));
    }

    private bool AfterValueByte(byte b)
    {
        bool inObject = TopIsObject;
        return b switch
        {
            (byte)',' => Enter(inObject ? KeyStart : ValueStart),
            (byte)'}' => inObject && Close(true),
            (byte)']' => !inObject && Close(false),
            _ => false,
        };
    }
}
