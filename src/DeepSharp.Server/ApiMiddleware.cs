using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DeepSharp.Server;

/// <summary>
/// Wraps every API call: refuses it while shutting down (503) or without the right key (401), turns any failure
/// into an OpenAI error body, and counts the request by endpoint and status. A client that disconnects is
/// counted as status 499, as nginx does.
/// </summary>
internal sealed class ApiMiddleware(RequestDelegate next, ServerState state, ILogger<ApiMiddleware> logger)
{
    private const int ClientClosedRequest = 499;
    private readonly byte[]? _key = state.Options.ApiKey is { Length: > 0 } key ? Encoding.UTF8.GetBytes(key) : null;

    public async Task InvokeAsync(HttpContext context)
    {
        string? endpoint = EndpointName(context.Request.Path);
        if (endpoint is null)
        {
            await next(context).ConfigureAwait(false);
            return;
        }
        var clock = Stopwatch.StartNew();
        try
        {
            if (state.ShuttingDown)
            {
                throw ApiErrors.ShuttingDown();
            }
            if (!Authorized(context.Request))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                throw new ApiException(401, "Incorrect API key provided; send it as 'Authorization: Bearer KEY'", type: "authentication_error", code: "invalid_api_key");
            }
            await next(context).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            var error = ApiErrors.From(e, state, context);
            if (error is null)
            {
                state.Metrics.RecordCancelled();
                if (!context.Response.HasStarted)
                {
                    // A stream the client left mid-way has sent its status already; setting it again would throw.
                    context.Response.StatusCode = ClientClosedRequest;
                }
            }
            else
            {
                if (error.Status >= 500 && !state.ShuttingDown)
                {
                    logger.LogError(e, "request to {Path} failed", context.Request.Path);
                }
                if (context.Response.HasStarted)
                {
                    // A stream whose error event could not be written: all that is left is to end it.
                    context.Abort();
                }
                else
                {
                    await ErrorBody.SendAsync(context, error).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            state.Metrics.RecordRequest(endpoint, context.Response.StatusCode, clock.Elapsed);
        }
    }

    /// <summary>The metrics label of an API path, or null for paths outside the API (the page, /health).</summary>
    private static string? EndpointName(PathString path) => path.Value switch
    {
        "/v1/chat/completions" => "chat_completions",
        "/v1/completions" => "completions",
        MessagesEndpoint.Path => "messages",
        "/v1/models" => "models",
        "/tokenize" => "tokenize",
        "/detokenize" => "detokenize",
        "/metrics" => "metrics",
        string p when p.StartsWith("/v1/", StringComparison.Ordinal) => "other",
        _ => null,
    };

    private bool Authorized(HttpRequest request)
    {
        if (_key is null)
        {
            return true;
        }
        // OpenAI's clients send "Authorization: Bearer KEY", Anthropic's "x-api-key: KEY".
        string header = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        string? key = header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase) ? header[scheme.Length..].Trim()
            : request.Headers.TryGetValue("x-api-key", out var apiKey) ? apiKey.ToString().Trim()
            : null;
        return key is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), _key);
    }
}
