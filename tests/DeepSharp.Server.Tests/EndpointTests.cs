using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using static DeepSharp.Server.Tests.ApiAssert;

namespace DeepSharp.Server.Tests;

/// <summary>The other endpoints: models, health, text completion, tokenize/detokenize, metrics, the page.</summary>
public sealed partial class EndpointTests(SharedServer shared)
{
    private HttpClient Http => shared.Http;

    private async Task<JsonElement> GetJsonAsync(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    [Fact]
    public async Task ModelsListsTheModelAndDeepSeekAliases()
    {
        var list = await GetJsonAsync(await Http.GetAsync("v1/models"));
        var ids = list.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal(["deepsharp-tiny-r1", "deepseek-chat", "deepseek-reasoner"], ids);
        var one = await GetJsonAsync(await Http.GetAsync("v1/models/deepseek-chat"));
        Assert.Equal("model", one.GetProperty("object").GetString());
    }

    [Fact]
    public async Task HealthIsOk()
    {
        var health = await GetJsonAsync(await Http.GetAsync("health"));
        Assert.Equal("ok", health.GetProperty("status").GetString());
    }

    [Fact]
    public async Task TextCompletionContinuesThePrompt()
    {
        var reply = await GetJsonAsync(await Http.PostAsync("v1/completions", Json("""{"model":"deepsharp-tiny-r1","prompt":"12+34=","max_tokens":5,"temperature":0}""")));
        Assert.Equal("text_completion", reply.GetProperty("object").GetString());
        var choice = reply.GetProperty("choices")[0];
        Assert.Equal(JsonValueKind.String, choice.GetProperty("text").ValueKind);
        var usage = reply.GetProperty("usage");
        Assert.InRange(usage.GetProperty("completion_tokens").GetInt32(), 1, 5);
    }

    [Fact]
    public async Task TokenizeAndDetokenizeRoundTrip()
    {
        const string text = "What is 12+34? Ünïcödé ✓";
        var tokens = await GetJsonAsync(await Http.PostAsync("tokenize", Json($$"""{"content":{{JsonSerializer.Serialize(text)}}}""")));
        var ids = tokens.GetProperty("tokens").EnumerateArray().Select(t => t.GetInt32()).ToArray();
        Assert.NotEmpty(ids);
        var back = await GetJsonAsync(await Http.PostAsync("detokenize", Json($$"""{"tokens":[{{string.Join(",", ids)}}]}""")));
        Assert.Equal(text, back.GetProperty("content").GetString());
        var pieces = await GetJsonAsync(await Http.PostAsync("tokenize", Json($$"""{"content":{{JsonSerializer.Serialize(text)}},"with_pieces":true}""")));
        Assert.Equal(ids, pieces.GetProperty("tokens").EnumerateArray().Select(t => t.GetProperty("id").GetInt32()));
        using var bad = await Http.PostAsync("detokenize", Json("""{"tokens":[-1]}"""));
        await ErrorAsync(bad, HttpStatusCode.BadRequest, param: "tokens");
    }

    [Fact]
    public async Task MetricsAreValidPrometheusTextAndCountRequests()
    {
        using (await Http.PostAsync("v1/chat/completions", Json(ChatBody()))) { }
        using var response = await Http.GetAsync("metrics");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType?.ToString());
        string text = await response.Content.ReadAsStringAsync();
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(line.StartsWith("# HELP ", StringComparison.Ordinal) || line.StartsWith("# TYPE ", StringComparison.Ordinal) || SampleLine().IsMatch(line), $"not a Prometheus line: {line}");
        }
        var ok = Regex.Match(text, "deepsharp_requests_total\\{endpoint=\"chat_completions\",status=\"200\"\\} (\\d+)");
        Assert.True(ok.Success && long.Parse(ok.Groups[1].Value) >= 1, text);
        Assert.Matches("deepsharp_completion_tokens_total [1-9]", text);
        Assert.Matches("deepsharp_request_duration_seconds_bucket\\{le=\"\\+Inf\"\\} [1-9]", text);
        Assert.Contains("deepsharp_time_to_first_token_seconds_count", text);
        Assert.Contains("deepsharp_slots_free", text);
        Assert.Contains("deepsharp_prompt_cache_hit_tokens_total", text);
        Assert.Matches("deepsharp_kv_positions_total [1-9]", text);
        Assert.Contains("deepsharp_engine_requests_total{outcome=\"finished\"}", text);
    }

    [Fact]
    public async Task PageIsSelfContainedHtml()
    {
        using var response = await Http.GetAsync("");
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        string html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<html", html);
        Assert.DoesNotMatch("(src|href)=\"(https?:)?//", html);   // nothing from a CDN: the page works offline
    }

    [GeneratedRegex("^[a-z_]+(\\{[a-z_]+=\"[^\"]*\"(,[a-z_]+=\"[^\"]*\")*\\})? -?[0-9.eE+-]+$")]
    private static partial Regex SampleLine();
}
