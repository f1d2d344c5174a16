using System.Text.Encodings.Web;
using System.Text.Json;

namespace DeepSharp.Server;

/// <summary>How the server writes JSON: UTF-8 text as is (no \u escapes for <c>+</c> or non-ASCII), HTML-safety being the page's job.</summary>
internal static class ServerJson
{
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="name"/>: the string, or null.</summary>
    public static void WriteStringOrNull(this Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }
}
