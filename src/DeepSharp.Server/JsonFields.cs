using System.Text.Json;

namespace DeepSharp.Server;

/// <summary>Typed, validated reads of request fields; a wrong type or range is a 400 that names the field.</summary>
internal static class JsonFields
{
    /// <summary>The field's value, or null when it is absent or JSON null.</summary>
    public static JsonElement? Get(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value : null;

    public static string? String(JsonElement obj, string name, string? param = null)
    {
        if (Get(obj, name) is not JsonElement value)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw WrongType(param ?? name, "a string");
    }

    public static bool? Bool(JsonElement obj, string name, string? param = null)
    {
        if (Get(obj, name) is not JsonElement value)
        {
            return null;
        }
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw WrongType(param ?? name, "a boolean"),
        };
    }

    public static double? Number(JsonElement obj, string name, double min, double max, string? param = null)
    {
        if (Get(obj, name) is not JsonElement value)
        {
            return null;
        }
        param ??= name;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out double number) || !double.IsFinite(number))
        {
            throw WrongType(param, "a number");
        }
        if (number < min || number > max)
        {
            throw ApiException.BadParam(param, $"'{param}' must be between {min} and {max}, got {number}");
        }
        return number;
    }

    public static long? Integer(JsonElement obj, string name, long min, long max, string? param = null)
    {
        if (Get(obj, name) is not JsonElement value)
        {
            return null;
        }
        param ??= name;
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out long number))
        {
            throw WrongType(param, "an integer");
        }
        if (number < min || number > max)
        {
            throw ApiException.BadParam(param, $"'{param}' must be between {min} and {max}, got {number}");
        }
        return number;
    }

    public static JsonElement? Object(JsonElement obj, string name, string? param = null)
    {
        if (Get(obj, name) is not JsonElement value)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Object ? value : throw WrongType(param ?? name, "an object");
    }

    public static JsonElement? Array(JsonElement obj, string name, string? param = null)
    {
        if (Get(obj, name) is not JsonElement value)
        {
            return null;
        }
        return value.ValueKind == JsonValueKind.Array ? value : throw WrongType(param ?? name, "an array");
    }

    /// <summary>
    /// A message's text: a string, or the <c>text</c> parts of an array of content parts joined. Parts whose type is in
    /// <paramref name="skipped"/> are left out; any other type is refused with <paramref name="refusal"/>.
    /// </summary>
    public static string? TextContent(JsonElement obj, string name, string param, string refusal, params string[] skipped)
    {
        if (Get(obj, name) is not JsonElement content)
        {
            return null;
        }
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString();
        }
        if (content.ValueKind != JsonValueKind.Array)
        {
            throw WrongType(param, "a string or an array of content parts");
        }
        var text = new System.Text.StringBuilder();
        foreach (var part in content.EnumerateArray())
        {
            string? type = part.ValueKind == JsonValueKind.Object ? String(part, "type", $"{param}.type") : null;
            if (type == "text")
            {
                text.Append(String(part, "text", $"{param}.text"));
            }
            else if (type is null || !skipped.Contains(type))
            {
                throw ApiException.BadParam(param, refusal);
            }
        }
        return text.ToString();
    }

    /// <summary>The items of <paramref name="array"/>, at most <paramref name="maxCount"/>, each a non-empty string.</summary>
    public static List<string> NonEmptyStrings(JsonElement array, string param, int maxCount)
    {
        if (array.GetArrayLength() > maxCount)
        {
            throw ApiException.BadParam(param, $"'{param}' may hold at most {maxCount} strings");
        }
        var list = new List<string>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String || item.GetString() is not { Length: > 0 } text)
            {
                throw ApiException.BadParam(param, $"'{param}' must hold non-empty strings");
            }
            list.Add(text);
        }
        return list;
    }

    public static ApiException WrongType(string param, string expected) => ApiException.BadParam(param, $"'{param}' must be {expected}");
}
