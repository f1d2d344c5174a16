using System.Globalization;
using System.Text;

namespace DeepSharp.Chat.Templates;

/// <summary>
/// The <c>tojson</c> filter as transformers defines it: Python's <c>json.dumps</c> with
/// <c>ensure_ascii=False</c> by default, optional <c>indent</c>, <c>separators</c> and <c>sort_keys</c>, and no
/// HTML escaping (unlike stock Jinja's <c>tojson</c>).
/// </summary>
internal sealed class JsonFormatter
{
    private const int MaxDepth = 100;

    private readonly string? _indent;
    private readonly string _itemSeparator;
    private readonly string _keySeparator;
    private readonly bool _ensureAscii;
    private readonly bool _sortKeys;
    private readonly StringBuilder _sb = new();

    public JsonFormatter(long? indent, bool ensureAscii, bool sortKeys, string? itemSeparator, string? keySeparator)
    {
        _indent = indent is null ? null : new string(' ', (int)Math.Clamp(indent.Value, 0, 64));
        _itemSeparator = itemSeparator ?? (indent is null ? ", " : ",");
        _keySeparator = keySeparator ?? ": ";
        _ensureAscii = ensureAscii;
        _sortKeys = sortKeys;
    }

    public string Format(object? value)
    {
        _sb.Clear();
        Write(value, 0);
        return _sb.ToString();
    }

    private void NewLine(int depth)
    {
        if (_indent is not null)
        {
            _sb.Append('\n');
            for (int i = 0; i < depth; i++)
            {
                _sb.Append(_indent);
            }
        }
    }

    private void Write(object? v, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new TemplateRuntimeError("value nested too deeply for tojson");
        }
        switch (v)
        {
            case null: _sb.Append("null"); break;
            case bool b: _sb.Append(b ? "true" : "false"); break;
            case long l: _sb.Append(l.ToString(CultureInfo.InvariantCulture)); break;
            case double d:
                _sb.Append(double.IsNaN(d) ? "NaN" : double.IsPositiveInfinity(d) ? "Infinity" : double.IsNegativeInfinity(d) ? "-Infinity" : ValueOps.FormatFloat(d));
                break;
            case string s: WriteString(s); break;
            case List<object?> list:
                if (list.Count == 0)
                {
                    _sb.Append("[]");
                    break;
                }
                _sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        _sb.Append(_itemSeparator);
                    }
                    NewLine(depth + 1);
                    Write(list[i], depth + 1);
                }
                NewLine(depth);
                _sb.Append(']');
                break;
            case OrderedDictionary<string, object?> dict:
                if (dict.Count == 0)
                {
                    _sb.Append("{}");
                    break;
                }
                _sb.Append('{');
                IEnumerable<KeyValuePair<string, object?>> entries = _sortKeys ? dict.OrderBy(kv => kv.Key, StringComparer.Ordinal) : dict;
                bool first = true;
                foreach (var (key, item) in entries)
                {
                    if (!first)
                    {
                        _sb.Append(_itemSeparator);
                    }
                    first = false;
                    NewLine(depth + 1);
                    WriteString(key);
                    _sb.Append(_keySeparator);
                    Write(item, depth + 1);
                }
                NewLine(depth);
                _sb.Append('}');
                break;
            default:
                throw new TemplateRuntimeError($"Object of type {ValueOps.TypeName(v)} is not JSON serializable");
        }
    }

    private void WriteString(string s)
    {
        _sb.Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"': _sb.Append("\\\""); break;
                case '\\': _sb.Append("\\\\"); break;
                case '\n': _sb.Append("\\n"); break;
                case '\r': _sb.Append("\\r"); break;
                case '\t': _sb.Append("\\t"); break;
                case '\b': _sb.Append("\\b"); break;
                case '\f': _sb.Append("\\f"); break;
                default:
                    // Lone surrogates cannot be written as UTF-8, so they are escaped (as JSON.stringify does).
                    bool lone = char.IsHighSurrogate(c) ? i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1])
                        : char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(s[i - 1]));
                    if (c < 0x20 || (_ensureAscii && c > 0x7f) || lone)
                    {
                        _sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        _sb.Append(c);
                    }
                    break;
            }
        }
        _sb.Append('"');
    }
}
