using Microsoft.Extensions.AI;

namespace DeepSharp.Engine;

/// <summary>Microsoft.Extensions.AI integration.</summary>
public static class ChatEngineExtensions
{
    /// <summary>
    /// Wraps the engine as an <see cref="IChatClient"/>. <see cref="ChatOptions"/> map onto <paramref name="defaults"/>:
    /// Temperature, TopP, TopK, Seed, MaxOutputTokens, StopSequences, Frequency/PresencePenalty, Instructions (an extra
    /// system message), Reasoning.Effort = None (thinking off); AdditionalProperties <c>min_p</c>, <c>repetition_penalty</c>,
    /// <c>thinking</c> (bool) and <c>reasoning_budget</c> (tokens). A <see cref="ChatOptions.RawRepresentationFactory"/>
    /// that returns <see cref="ChatRequestOptions"/> wins over the mapped fields.
    /// </summary>
    /// <param name="engine">The engine; requests through the client run one at a time on its KV cache.</param>
    /// <param name="defaults">Settings used where the request's options say nothing.</param>
    /// <param name="ownsEngine">Whether disposing the client disposes the engine.</param>
    public static IChatClient AsChatClient(this ChatEngine engine, ChatRequestOptions? defaults = null, bool ownsEngine = false)
    {
        ArgumentNullException.ThrowIfNull(engine);
        return new ChatEngineChatClient(engine, defaults ?? new ChatRequestOptions(), ownsEngine);
    }
}
