using System.Net;
using System.Text;
using System.Text.Json;

namespace DeepSharp.Server.Tests;

/// <summary>Raw HTTP helpers and the check that an error response has OpenAI's shape.</summary>
internal static class ApiAssert
{
    public static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    public static string ChatBody(string content = "What is 12+34?", string extra = "", int maxTokens = 32, double temperature = 0) =>
        $$"""{"model":"deepseek-reasoner","messages":[{"role":"user","content":{{JsonSerializer.Serialize(content)}}}],"max_tokens":{{maxTokens}},"temperature":{{temperature.ToString(System.Globalization.CultureInfo.InvariantCulture)}}{{extra}}}""";

    /// <summary>Asserts the status and <c>{"error":{"message","type","param","code"}}</c>; returns the error object.</summary>
    public static async Task<JsonElement> ErrorAsync(HttpResponseMessage response, HttpStatusCode status, string? code = null, string? param = null)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var error = JsonDocument.Parse(text).RootElement.GetProperty("error").Clone();
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        Assert.True(error.TryGetProperty("param", out var actualParam));
        Assert.True(error.TryGetProperty("code", out var actualCode));
        if (code is not null)
        {
            Assert.Equal(code, actualCode.GetString());
        }
        if (param is not null)
        {
            Assert.Equal(param, actualParam.GetString());
        }
        return error;
    }
}
