using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using static DeepSharp.Server.Tests.ApiAssert;

namespace DeepSharp.Server.Tests;

/// <summary>Every way a request can be refused: the right status, OpenAI's error shape, and a server that keeps serving.</summary>
public sealed class ErrorTests(SharedServer shared)
{
    private HttpClient Http => shared.Http;

    [Theory]
    [InlineData("""{"messages":[""", "invalid_json", null)]
    [InlineData("""[1, 2]""", "invalid_json", null)]
    [InlineData("""{}""", "missing_required_parameter", "messages")]
    [InlineData("""{"messages":[]}""", null, "messages")]
    [InlineData("""{"messages":"hi"}""", null, "messages")]
    [InlineData("""{"messages":[{"role":"wizard","content":"hi"}]}""", null, "messages[0].role")]
    [InlineData("""{"messages":[{"role":"user","content":42}]}""", null, "messages[0].content")]
    [InlineData("""{"messages":[{"role":"user"}]}""", null, "messages[0].content")]
    [InlineData("""{"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"x"}}]}]}""", null, "messages[0].content")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"temperature":3}""", "invalid_value", "temperature")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", "invalid_value", "temperature")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"top_p":-0.5}""", null, "top_p")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"max_tokens":0}""", null, "max_tokens")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"max_tokens":100000000}""", null, "max_tokens")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"max_completion_tokens":1.5}""", null, "max_completion_tokens")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"frequency_penalty":2.5}""", null, "frequency_penalty")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"stop":5}""", null, "stop")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"stop":["a",""]}""", null, "stop")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"stop":["1","2","3","4","5","6","7","8","9","10","11","12","13","14","15","16","17"]}""", null, "stop")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"n":2}""", null, "n")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"stream":"yes"}""", null, "stream")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"seed":"x"}""", null, "seed")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"logit_bias":{"abc":1}}""", null, "logit_bias")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"logit_bias":{"5":500}}""", null, "logit_bias.5")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema"}}""", null, "response_format.type")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"tools":[{"type":"retrieval"}]}""", null, "tools[0]")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"thinking":{"type":"maybe"}}""", null, "thinking.type")]
    [InlineData("""{"messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":1}}""", null, "stream_options.include_usage")]
    public async Task BadChatRequestIs400NamingTheField(string body, string? code, string? param)
    {
        using var response = await Http.PostAsync("v1/chat/completions", Json(body));
        await ErrorAsync(response, HttpStatusCode.BadRequest, code, param);
    }

    [Fact]
    public async Task UnknownModelIs404()
    {
        using var response = await Http.PostAsync("v1/chat/completions", Json("""{"model":"gpt-5","messages":[{"role":"user","content":"hi"}]}"""));
        await ErrorAsync(response, HttpStatusCode.NotFound, "model_not_found", "model");
        using var model = await Http.GetAsync("v1/models/gpt-5");
        await ErrorAsync(model, HttpStatusCode.NotFound, "model_not_found");
    }

    [Fact]
    public async Task UnknownEndpointIs404()
    {
        using var response = await Http.PostAsync("v1/embeddings", Json("{}"));
        await ErrorAsync(response, HttpStatusCode.NotFound, "unknown_url");
    }

    [Fact]
    public async Task PromptLongerThanTheContextIs400ContextLengthExceeded()
    {
        string longText = string.Concat(Enumerable.Repeat("12+34=46, ", 400));
        using var response = await Http.PostAsync("v1/chat/completions", Json(ChatBody(longText)));
        await ErrorAsync(response, HttpStatusCode.BadRequest, "context_length_exceeded");
        using var completion = await Http.PostAsync("v1/completions", Json($$"""{"prompt":{{JsonSerializer.Serialize(longText)}}}"""));
        await ErrorAsync(completion, HttpStatusCode.BadRequest, "context_length_exceeded");
    }

    [Fact]
    public async Task TooManyMessagesIs400()
    {
        string messages = string.Join(",", Enumerable.Repeat("""{"role":"user","content":"a"}""", 300));
        using var response = await Http.PostAsync("v1/chat/completions", Json($$"""{"messages":[{{messages}}]}"""));
        await ErrorAsync(response, HttpStatusCode.BadRequest, param: "messages");
    }

    [Fact]
    public async Task IncomingReasoningContentIsAcceptedAndIgnored()
    {
        const string body = """
            {"model":"deepseek-reasoner","temperature":0,"max_tokens":16,"messages":[
              {"role":"user","content":"What is 1+1?"},
              {"role":"assistant","content":"2","reasoning_content":"1+1=2"},
              {"role":"user","content":"What is 2+2?"}]}
            """;
        using var response = await Http.PostAsync("v1/chat/completions", Json(body));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task BodyOverTheLimitIs413()
    {
        await using var server = await TestModel.StartServerAsync(new DeepSharpServerOptions { MaxBodyBytes = 1000 });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using var response = await http.PostAsync("v1/chat/completions", Json(ChatBody(new string('x', 2000))));
        await ErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        // Without a Content-Length (chunked), the limit holds as the body is read.
        var chunked = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(ChatBody(new string('x', 2000)))));
        chunked.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = chunked };
        request.Headers.TransferEncodingChunked = true;
        using var response2 = await http.SendAsync(request);
        await ErrorAsync(response2, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        using var ok = await http.PostAsync("v1/chat/completions", Json(ChatBody()));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task WrongOrMissingApiKeyIs401()
    {
        await using var server = await TestModel.StartServerAsync(new DeepSharpServerOptions { ApiKey = "sk-secret" });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using (var none = await http.PostAsync("v1/chat/completions", Json(ChatBody())))
        {
            await ErrorAsync(none, HttpStatusCode.Unauthorized, "invalid_api_key");
        }
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-wrong");
        using (var wrong = await http.GetAsync("v1/models"))
        {
            await ErrorAsync(wrong, HttpStatusCode.Unauthorized, "invalid_api_key");
        }
        using (var health = await http.GetAsync("health"))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);   // health checks need no key
        }
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-secret");
        using var right = await http.PostAsync("v1/chat/completions", Json(ChatBody()));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task FullQueueIs429WithRetryAfter()
    {
        await using var server = await TestModel.StartServerAsync(new DeepSharpServerOptions { Parallel = 1, QueueCapacity = 0 });
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        var lease = server.State.Gate.TryEnter()!;   // the one slot, taken
        await lease.WaitAsync(TestContext.Current.CancellationToken);
        using (var busy = await http.PostAsync("v1/chat/completions", Json(ChatBody())))
        {
            await ErrorAsync(busy, HttpStatusCode.TooManyRequests, "rate_limit_exceeded");
            Assert.True(busy.Headers.RetryAfter?.Delta > TimeSpan.Zero, "no Retry-After header");
        }
        lease.Dispose();
        using var ok = await http.PostAsync("v1/chat/completions", Json(ChatBody()));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }

    [Fact]
    public async Task ShuttingDownIs503()
    {
        await using var server = await TestModel.StartServerAsync();
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        server.State.BeginShutdown();
        using var response = await http.PostAsync("v1/chat/completions", Json(ChatBody()));
        await ErrorAsync(response, HttpStatusCode.ServiceUnavailable, "service_unavailable");
        using var health = await http.GetAsync("health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
    }

    [Fact]
    public async Task ServerStillAnswersAfterGarbage()
    {
        byte[][] garbage = [[0xFF, 0xFE, 0x00], Encoding.UTF8.GetBytes("{\"messages\": [{\"role\": \"user\", \"content\": \"\\ud800\"}]"), new byte[5000]];
        foreach (byte[] body in garbage)
        {
            using var response = await Http.PostAsync("v1/chat/completions", new ByteArrayContent(body));
            await ErrorAsync(response, HttpStatusCode.BadRequest);
        }
        using var ok = await Http.PostAsync("v1/chat/completions", Json(ChatBody()));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
    }
}
