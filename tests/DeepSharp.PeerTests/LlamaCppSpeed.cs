using System.Diagnostics;

namespace DeepSharp.PeerTests;

/// <summary>
/// Manual benchmark (not run by default): llama.cpp's prompt and decode speed on a large fixture, to put
/// <c>deepsharp bench</c> figures in context. The file comes from DEEPSHARP_BENCH_MODEL, else the V2-Lite Q4_K fixture.
/// </summary>
public sealed class LlamaCppSpeed(ITestOutputHelper output)
{
    [Fact(Explicit = true)]
    public void PromptAndDecodeSpeed()
    {
        string path = Environment.GetEnvironmentVariable("DEEPSHARP_BENCH_MODEL") ?? "/work/fixtures/v2lite-q4k.gguf";
        var random = new Random(1);
        using var llama = LlamaCppReference.Load(path);
        int[] prompt = Enumerable.Range(0, 16).Select(_ => random.Next(llama.VocabSize)).ToArray();
        llama.Logits(prompt); // warm the page cache
        var clock = Stopwatch.StartNew();
        llama.Logits(prompt);
        double promptSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        llama.Greedy(prompt, 16);
        double decodeSeconds = clock.Elapsed.TotalSeconds - promptSeconds;
        output.WriteLine($"llama.cpp, 2 threads: prompt 16 tokens {16 / promptSeconds:0.00} tokens/s, decode 16 tokens {16 / decodeSeconds:0.00} tokens/s");
    }
}
