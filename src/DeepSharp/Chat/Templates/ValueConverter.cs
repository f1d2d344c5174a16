using System.Collections;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace DeepSharp.Chat.Templates;

/// <summary>Turns .NET values handed to a render (strings, numbers, JSON, collections) into template values.</summary>
internal static class ValueConverter
{
    private const int MaxDepth = 64;

    public static object? FromClr(object? value, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"template variable nested deeper than {MaxDepth} levels");
        }
        switch (value)
        {
            case null: return null;
            case string or bool or long or double: return value;
            case int or short or byte or sbyte or ushort or uint: return Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture);
            case ulong u: return u <= long.MaxValue ? (long)u : (double)u;
            case float f: return (double)f;
            case decimal m: return (double)m;
            case char c: return c.ToString();
            case Undefined or Namespace or Callable: return value;
            case JsonNode node: return FromJson(node, depth);
            case JsonElement element: return FromJson(element, depth);
            case IDictionary<string, object?> dict: return FromPairs(dict, depth);
            case IReadOnlyDictionary<string, object?> dict: return FromPairs(dict, depth);
            case IDictionary dict:
            {
                var d = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (DictionaryEntry e in dict)
                {
                    d[e.Key as string ?? throw new ArgumentException("template dictionaries need string keys")] = FromClr(e.Value, depth + 1);
                }
                return d;
            }
            case IEnumerable items:
            {
                var list = new List<object?>();
                foreach (var item in items)
                {
                    list.Add(FromClr(item, depth + 1));
                }
                return list;
            }
            default:
                throw new ArgumentException($"a template variable cannot hold a {value.GetType().Name}; use strings, numbers, booleans, JSON or collections");
        }
    }

    private static OrderedDictionary<string, object?> FromPairs(IEnumerable<KeyValuePair<string, object?>> pairs, int depth)
    {
        var d = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
        foreach (var (k, v) in pairs)
        {
            d[k] = FromClr(v, depth + 1);
        }
        return d;
    }

    public static object? FromJson(JsonNode? node, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"JSON value nested deeper than {MaxDepth} levels");
        }
        switch (node)
        {
            case null:
                return null;
            case JsonObject obj:
            {
                var d = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (k, v) in obj)
                {
                    d[k] = FromJson(v, depth + 1);
                }
                return d;
            }
            case JsonArray arr:
                return arr.Select(v => FromJson(v, depth + 1)).ToList();
            default:
                return FromJsonValue(node.AsValue());
        }
    }

    private static object? FromJsonValue(JsonValue value)
    {
        if (value.TryGetValue<JsonElement>(out var element))
        {
            return FromJson(element);
        }
        switch (value.GetValueKind())
        {
            case JsonValueKind.String:
                return value.GetValue<string>();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Number:
                string raw = value.ToJsonString();
                return !raw.AsSpan().ContainsAny('.', 'e', 'E') && long.TryParse(raw, System.Globalization.CultureInfo.InvariantCulture, out long l)
                    ? (object)l
                    : double.Parse(raw, System.Globalization.CultureInfo.InvariantCulture);
            default:
                return null;
        }
    }

    public static object? FromJson(JsonElement e, int depth = 0)
    {
        if (depth > MaxDepth)
        {
            throw new ArgumentException($"JSON value nested deeper than {MaxDepth} levels");
        }
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
            {
                var d = new OrderedDictionary<string, object?>(StringComparer.Ordinal);
                foreach (var p in e.EnumerateObject())
                {
                    d[p.Name] = FromJson(p.Value, depth + 1);
                }
                return d;
            }
            case JsonValueKind.Array:
                return e.EnumerateArray().Select(v => FromJson(v, depth + 1)).ToList();
            case JsonValueKind.String:
                return e.GetString();
            case JsonValueKind.Number:
                // Integers stay integers (as Python's json module reads them); anything with a point or exponent is a float.
                return e.TryGetInt64(out long l) && !e.GetRawText().AsSpan().ContainsAny('.', 'e', 'E') ? (object)l : e.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }
}
