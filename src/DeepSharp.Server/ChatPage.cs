using Microsoft.AspNetCore.Http;

namespace DeepSharp.Server;

/// <summary><c>GET /</c>: the web chat page, one self-contained HTML file embedded in the assembly (no CDN, works offline).</summary>
internal static class ChatPage
{
    private static readonly Lazy<byte[]> s_html = new(Load);

    public static async Task ServeAsync(HttpContext context)
    {
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.Body.WriteAsync(s_html.Value, context.RequestAborted).ConfigureAwait(false);
    }

    private static byte[] Load()
    {
        using var stream = typeof(ChatPage).Assembly.GetManifestResourceStream("DeepSharp.Server.index.html")
            ?? throw new InvalidOperationException("the chat page is missing from the assembly's resources");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
