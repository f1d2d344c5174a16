using System.Text.Json;
using DeepSharp.Engine;

namespace DeepSharp.Server;

/// <summary>Writes a reply's <c>usage</c> object with both OpenAI's and DeepSeek's fields.</summary>
internal static class UsageJson
{
    public static void Write(Utf8JsonWriter writer, ChatUsage usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", usage.PromptTokens);
        writer.WriteNumber("completion_tokens", usage.CompletionTokens);
        writer.WriteNumber("total_tokens", usage.TotalTokens);
        writer.WriteNumber("prompt_cache_hit_tokens", usage.CachedPromptTokens);
        writer.WriteNumber("prompt_cache_miss_tokens", usage.PromptTokens - usage.CachedPromptTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", usage.CachedPromptTokens);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details");
        writer.WriteNumber("reasoning_tokens", usage.ReasoningTokens);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
