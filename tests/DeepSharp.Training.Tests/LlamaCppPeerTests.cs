using DeepSharp.Evaluation;
using DeepSharp.Fixtures;
using DeepSharp.Training.Export;
using DeepSharp.Training.Modeling;
using DeepSharp.Training.Tokenization;
using LLama;
using LLama.Common;
using LLama.Native;
using TorchSharp;

namespace DeepSharp.Training.Tests;

/// <summary>
/// The exported GGUF in llama.cpp (through LLamaSharp's bundled CPU build) must give the TorchSharp model's logits
/// and tokenize text as the trainer's tokenizer does: llama.cpp is the independent reference for the format, the
/// absorbed MLA form, the MoE routing with the selection bias, and the qwen2 pre-tokenizer.
/// </summary>
public sealed class LlamaCppPeerTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("deepsharp-peer-").FullName;

    static LlamaCppPeerTests()
    {
        // llama.cpp logs every load at length; keep only its errors in the test output.
        NativeLogConfig.llama_log_set((level, message) =>
        {
            if (level == LLamaLogLevel.Error)
            {
                Console.Error.Write(message);
            }
        });
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(MlaKvLayout.Split)]
    [InlineData(MlaKvLayout.Merged)]
    public void Llama_cpp_computes_the_trainers_logits(MlaKvLayout layout)
    {
        torch.set_num_threads(1);
        var model = TinyModels.Randomized(21);
        string path = Path.Combine(_dir, $"peer-{layout}.gguf");
        GgufExporter.Write(model, TinyModels.Tokenizer, path, layout);
        var ids = TinyModels.Tokenizer.Encode(R1Prompt.Render("What is 482 + 39?") + "2+9+0=11\n8+3+1=12");
        AssertSameLogits(model, path, ids);
    }

    [Fact]
    public void Llama_cpp_computes_the_bundled_models_logits()
    {
        string path = Path.Combine(TestPaths.RepoRoot, "models", "deepsharp-tiny-r1.gguf");
        Assert.SkipUnless(File.Exists(path), "the bundled model has not been trained yet");
        torch.set_num_threads(1);
        var (model, tokenizer) = GgufImporter.Load(path);
        var ids = tokenizer.Encode(R1Prompt.Render("What is 48213 + 3907?"));
        AssertSameLogits(model, path, ids);
    }

    [Fact]
    public void Llama_cpp_tokenizes_like_the_trainer()
    {
        string path = Path.Combine(_dir, "vocab.gguf");
        GgufExporter.Write(TinyModels.Randomized(22), TinyModels.Tokenizer, path, MlaKvLayout.Split);
        using var weights = LLamaWeights.LoadFromFile(Parameters(path));
        string[] texts =
        [
            TinyModels.Prose,
            R1Prompt.Render("What is 90817 - 2345?") + "7-5-0=2\n</think>\n\n88472" + R1Prompt.Eos,
            "Mr. Darcy's letter, dated 1813; it isn't   spaced\n\nevenly!",
            "naïve café — 東京",
        ];
        foreach (string text in texts)
        {
            int[] expected = [.. weights.Tokenize(text, false, true, System.Text.Encoding.UTF8).Select(t => (int)t)];
            Assert.Equal(expected, TinyModels.Tokenizer.Encode(text));
        }
    }

    private static ModelParams Parameters(string path) => new(path) { ContextSize = 256, BatchSize = 256, UBatchSize = 256, GpuLayerCount = 0, Threads = 1, TypeK = GGMLType.GGML_TYPE_F32, TypeV = GGMLType.GGML_TYPE_F32, FlashAttention = false };

    private static void AssertSameLogits(TinyDeepSeek model, string path, List<int> ids)
    {
        var expected = TinyModels.Logits(model, ids);
        var parameters = Parameters(path);
        using var weights = LLamaWeights.LoadFromFile(parameters);
        using var context = weights.CreateContext(parameters);
        var batch = new LLamaBatch();
        for (int i = 0; i < ids.Count; i++)
        {
            batch.Add((LLamaToken)ids[i], i, LLamaSeqId.Zero, true);
        }
        Assert.Equal(DecodeResult.Ok, context.NativeHandle.Decode(batch));
        double scale = expected.SelectMany(x => x).Max(Math.Abs);
        for (int t = 0; t < ids.Count; t++)
        {
            var actual = context.NativeHandle.GetLogitsIth(t).ToArray();
            Assert.Equal(expected[t].Length, actual.Length);
            double worst = expected[t].Zip(actual, (a, b) => Math.Abs(a - b)).Max();
            Assert.True(worst <= 1e-4 * Math.Max(1, scale), $"position {t}: logits differ by {worst} (scale {scale})");
            Assert.Equal(Array.IndexOf(expected[t], expected[t].Max()), Array.IndexOf(actual, actual.Max()));
        }
    }
}
