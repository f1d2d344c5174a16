using System.Text.Json;
using DeepSharp.Engine;
using DeepSharp.Inference.Sampling;

namespace DeepSharp.Server;

/// <summary>The fields chat and text completions share: model, streaming, sampling, token limit, stop strings.</summary>
internal sealed record GenerationRequest
{
    /// <summary>The most stop strings a request may give (<c>stop</c>, <c>stop_sequences</c>); each is matched after every token.</summary>
    internal const int MaxStopStrings = 16;

    /// <summary>The model name as the client sent it (echoed in responses); the served id when absent.</summary>
    public required string Model { get; init; }

    /// <summary>Whether the requested model name asks for thinking by default.</summary>
    public required bool ModelThinks { get; init; }

    public required bool Stream { get; init; }

    /// <summary><c>stream_options.include_usage</c>: a last chunk with the usage.</summary>
    public required bool IncludeUsage { get; init; }

    public required ChatRequestOptions Options { get; init; }

    /// <summary>Reads and validates the shared fields of <paramref name="root"/>.</summary>
    /// <param name="root">The request body.</param>
    /// <param name="model">The served model.</param>
    /// <param name="legacyLogprobs">Text completion's <c>logprobs</c> (a count of alternatives, 0–5) instead of chat's (<c>logprobs</c> true and <c>top_logprobs</c>).</param>
    /// <exception cref="ApiException">A field is missing, of the wrong type or out of range; the model is unknown.</exception>
    public static GenerationRequest Read(JsonElement root, ServedModel model, bool legacyLogprobs = false)
    {
        string? name = JsonFields.String(root, "model");
        bool thinks = model.Resolve(name);
        if (JsonFields.Integer(root, "n", 1, long.MaxValue) is > 1)
        {
            throw ApiException.BadParam("n", "only n = 1 is supported");
        }
        var (logprobs, topLogprobs) = ReadLogprobs(root, legacyLogprobs);
        bool stream = JsonFields.Bool(root, "stream") ?? false;
        bool includeUsage = false;
        if (JsonFields.Object(root, "stream_options") is JsonElement streamOptions)
        {
            includeUsage = JsonFields.Bool(streamOptions, "include_usage", "stream_options.include_usage") ?? false;
        }
        int maxTokens = (int)(JsonFields.Integer(root, "max_completion_tokens", 1, model.MaxTokensLimit)
            ?? JsonFields.Integer(root, "max_tokens", 1, model.MaxTokensLimit)
            ?? model.DefaultMaxTokens);
        return new GenerationRequest
        {
            Model = name ?? model.Id,
            ModelThinks = thinks,
            Stream = stream,
            IncludeUsage = includeUsage,
            Options = new ChatRequestOptions
            {
                Sampling = ReadSampling(root, model.Engine.Tokenizer.Vocabulary.Count),
                MaxTokens = maxTokens,
                StopStrings = ReadStop(root),
                Logprobs = logprobs,
                TopLogprobs = topLogprobs,
            },
        };
    }

    private static (bool Logprobs, int Top) ReadLogprobs(JsonElement root, bool legacy)
    {
        if (legacy)
        {
            // The text completion API's logprobs is the number of alternatives to list (at most 5).
            return JsonFields.Integer(root, "logprobs", 0, 5) is long count ? (true, (int)count) : (false, 0);
        }
        bool logprobs = JsonFields.Bool(root, "logprobs") ?? false;
        int top = (int)(JsonFields.Integer(root, "top_logprobs", 0, ChatRequestOptions.MaxTopLogprobs) ?? 0);
        if (top > 0 && !logprobs)
        {
            throw ApiException.BadParam("top_logprobs", "'top_logprobs' needs 'logprobs': true");
        }
        return (logprobs, top);
    }

    private static SamplingOptions ReadSampling(JsonElement root, int vocabularySize)
    {
        // OpenAI's defaults: temperature 1 and no truncation unless asked (top_k and min_p are extensions).
        return new SamplingOptions
        {
            Temperature = (float)(JsonFields.Number(root, "temperature", 0, 2) ?? 1),
            TopP = (float)(JsonFields.Number(root, "top_p", 0, 1) ?? 1),
            TopK = (int)(JsonFields.Integer(root, "top_k", 0, int.MaxValue) ?? 0),
            MinP = (float)(JsonFields.Number(root, "min_p", 0, 1) ?? 0),
            FrequencyPenalty = (float)(JsonFields.Number(root, "frequency_penalty", -2, 2) ?? 0),
            PresencePenalty = (float)(JsonFields.Number(root, "presence_penalty", -2, 2) ?? 0),
            RepetitionPenalty = (float)(JsonFields.Number(root, "repetition_penalty", 0.01, 10) ?? 1),
            Seed = JsonFields.Integer(root, "seed", long.MinValue, long.MaxValue) is long seed ? unchecked((ulong)seed) : (ulong)Random.Shared.NextInt64(),
            LogitBias = ReadLogitBias(root, vocabularySize),
        };
    }

    private static Dictionary<int, float>? ReadLogitBias(JsonElement root, int vocabularySize)
    {
        if (JsonFields.Object(root, "logit_bias") is not JsonElement bias)
        {
            return null;
        }
        var result = new Dictionary<int, float>();
        foreach (var entry in bias.EnumerateObject())
        {
            string param = $"logit_bias.{entry.Name}";
            if (!int.TryParse(entry.Name, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int id) || id >= vocabularySize)
            {
                throw ApiException.BadParam("logit_bias", $"'{entry.Name}' in 'logit_bias' is not a token id below {vocabularySize}");
            }
            if (entry.Value.ValueKind != JsonValueKind.Number || !entry.Value.TryGetDouble(out double value) || value < -100 || value > 100)
            {
                throw ApiException.BadParam(param, $"'{param}' must be a number between -100 and 100");
            }
            // OpenAI's -100 means "never"; make it exact rather than merely unlikely.
            result[id] = value <= -100 ? float.NegativeInfinity : (float)value;
        }
        return result;
    }

    private static IReadOnlyList<string> ReadStop(JsonElement root)
    {
        if (JsonFields.Get(root, "stop") is not JsonElement stop)
        {
            return [];
        }
        if (stop.ValueKind == JsonValueKind.String)
        {
            string text = stop.GetString()!;
            return text.Length == 0 ? [] : [text];
        }
        if (stop.ValueKind != JsonValueKind.Array)
        {
            throw JsonFields.WrongType("stop", "a string or an array of strings");
        }
        return JsonFields.NonEmptyStrings(stop, "stop", MaxStopStrings);
    }
}
