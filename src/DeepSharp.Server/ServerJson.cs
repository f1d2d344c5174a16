using System.Text.Encodings.Web;
using System.Text.Json;

namespace DeepSharp.Server;

/// <summary>How the server writes JSON: UTF-8 text as is (no \u escapes for <c>+</c> or non-ASCII), HTML-safety being the page's job.</summary>
internal static class ServerJson
{
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
