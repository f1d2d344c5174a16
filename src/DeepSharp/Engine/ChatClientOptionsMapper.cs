using System.Globalization;
using DeepSharp.Inference.Sampling;
using AI = Microsoft.Extensions.AI;

namespace DeepSharp.Engine;

/// <summary>
/// Maps Microsoft.Extensions.AI requests onto the engine's: <see cref="AI.ChatOptions"/> to <see cref="ChatRequestOptions"/>
/// and <see cref="AI.ChatMessage"/>s to <see cref="Chat.ChatMessage"/>s.
/// </summary>
internal static class ChatClientOptionsMapper
{
    /// <summary>AdditionalProperties key for min-p.</summary>
    public const string MinPKey = "min_p";

    /// <summary>AdditionalProperties key for reasoning on/off (bool).</summary>
    public const string ThinkingKey = "thinking";

    /// <summary>AdditionalProperties key for the reasoning budget in tokens.</summary>
    public const string ReasoningBudgetKey = "reasoning_budget";

    /// <summary>AdditionalProperties key for the repetition penalty.</summary>
    public const string RepetitionPenaltyKey = "repetition_penalty";

    public static ChatRequestOptions ToRequest(AI.ChatOptions? options, ChatRequestOptions defaults, object client)
    {
        if (options is null)
        {
            return defaults;
        }
        if (options.RawRepresentationFactory?.Invoke((AI.IChatClient)client) is ChatRequestOptions native)
        {
            return native; // the caller's own engine options win over the mapped fields
        }
        var sampling = defaults.Sampling;
        sampling = sampling with
        {
            Temperature = options.Temperature ?? sampling.Temperature,
            TopP = options.TopP ?? sampling.TopP,
            TopK = options.TopK ?? sampling.TopK,
            Seed = options.Seed is long seed ? unchecked((ulong)seed) : sampling.Seed,
            FrequencyPenalty = options.FrequencyPenalty ?? sampling.FrequencyPenalty,
            PresencePenalty = options.PresencePenalty ?? sampling.PresencePenalty,
            MinP = Number(options, MinPKey) is double minP ? (float)minP : sampling.MinP,
            RepetitionPenalty = Number(options, RepetitionPenaltyKey) is double penalty ? (float)penalty : sampling.RepetitionPenalty,
        };
        bool thinking = defaults.Thinking;
        if (options.Reasoning?.Effort is AI.ReasoningEffort effort)
        {
            thinking = effort != AI.ReasoningEffort.None;
        }
        if (options.AdditionalProperties?.TryGetValue(ThinkingKey, out object? value) == true)
        {
            thinking = value switch
            {
                bool b => b,
                string s when bool.TryParse(s, out bool parsed) => parsed,
                System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False } json => json.GetBoolean(),
                _ => throw new ArgumentException($"AdditionalProperties['{ThinkingKey}'] must be a boolean"),
            };
        }
        return defaults with
        {
            Sampling = sampling,
            MaxTokens = options.MaxOutputTokens ?? defaults.MaxTokens,
            StopStrings = options.StopSequences is { Count: > 0 } stops ? [.. defaults.StopStrings, .. stops] : defaults.StopStrings,
            Thinking = thinking,
            ReasoningBudget = Number(options, ReasoningBudgetKey) is double budget ? (int)budget : defaults.ReasoningBudget,
        };
    }

    public static List<Chat.ChatMessage> ToMessages(IEnumerable<AI.ChatMessage> messages, AI.ChatOptions? options)
    {
        var result = new List<Chat.ChatMessage>();
        if (options?.Instructions is { Length: > 0 } instructions)
        {
            result.Add(Chat.ChatMessage.System(instructions));
        }
        foreach (var message in messages)
        {
            string reasoning = string.Concat(message.Contents.OfType<AI.TextReasoningContent>().Select(c => c.Text));
            result.Add(new Chat.ChatMessage(message.Role.Value, message.Text)
            {
                ReasoningContent = reasoning.Length > 0 ? reasoning : null,
                Name = message.AuthorName,
            });
        }
        return result;
    }

    private static double? Number(AI.ChatOptions options, string key)
    {
        if (options.AdditionalProperties?.TryGetValue(key, out object? value) != true || value is null)
        {
            return null;
        }
        return value switch
        {
            System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Number } json => json.GetDouble(),
            IConvertible convertible => convertible.ToDouble(CultureInfo.InvariantCulture),
            _ => throw new ArgumentException($"AdditionalProperties['{key}'] must be a number"),
        };
    }
}
