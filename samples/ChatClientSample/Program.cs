// DeepSharp as a Microsoft.Extensions.AI IChatClient: one streaming and one non-streaming request.
// Usage: dotnet run --project samples/ChatClientSample [-- MODEL.gguf]
using DeepSharp.Engine;
using DeepSharp.Models;
using Microsoft.Extensions.AI;

string path = args.Length > 0 ? args[0] : BundledModel.LocateOrFallback();
using var engine = ChatEngine.Load(path);
using IChatClient client = new ChatClientBuilder(engine.AsChatClient()).Build();
Console.WriteLine($"model: {client.GetService<ChatClientMetadata>()?.DefaultModelId} ({Path.GetFileName(path)})");

List<ChatMessage> history = [new(ChatRole.User, "What is 12 + 30?")];
var options = new ChatOptions { Temperature = 0, MaxOutputTokens = 48 };

Console.WriteLine("--- streaming ---");
var updates = new List<ChatResponseUpdate>();
bool inReasoning = false;
await foreach (var update in client.GetStreamingResponseAsync(history, options))
{
    foreach (var content in update.Contents)
    {
        switch (content)
        {
            case TextReasoningContent reasoning:
                Console.Write((inReasoning ? "" : "[thinking] ") + reasoning.Text);
                inReasoning = true;
                break;
            case TextContent text:
                Console.Write((inReasoning ? "\n[answer] " : "") + text.Text);
                inReasoning = false;
                break;
            case UsageContent usage: Console.WriteLine($"\n(usage: {usage.Details.InputTokenCount} in, {usage.Details.OutputTokenCount} out, {usage.Details.ReasoningTokenCount} reasoning; finish: {update.FinishReason})"); break;
        }
    }
    updates.Add(update);
}
history.AddMessages(updates);

Console.WriteLine("--- non-streaming, second turn, reasoning off ---");
history.Add(new ChatMessage(ChatRole.User, "And 5 + 5?"));
var response = await client.GetResponseAsync(history, new ChatOptions { Temperature = 0, MaxOutputTokens = 24, AdditionalProperties = new() { ["thinking"] = false } });
Console.WriteLine(response.Text);
Console.WriteLine($"(usage: {response.Usage?.InputTokenCount} in ({response.Usage?.CachedInputTokenCount} cached), {response.Usage?.OutputTokenCount} out; finish: {response.FinishReason})");
