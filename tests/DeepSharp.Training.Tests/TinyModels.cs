using DeepSharp.Evaluation;
using DeepSharp.Models;
using DeepSharp.Training.Data;
using DeepSharp.Training.Modeling;
using DeepSharp.Training.Stages;
using DeepSharp.Training.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepSharp.Training.Tests;

/// <summary>Small tokenizers and models that tests build in milliseconds.</summary>
internal static class TinyModels
{
    public const string Prose =
        "It is a truth universally acknowledged, that a single man in possession of a good fortune, must be in want of a wife. " +
        "However little known the feelings or views of such a man may be on his first entering a neighbourhood, this truth is so well " +
        "fixed in the minds of the surrounding families, that he is considered the rightful property of some one or other of their daughters.";

    private static readonly Lazy<BpeTokenizer> s_tokenizer = new(() =>
    {
        var random = new Random(3);
        var task = ReasoningTasks.Get("arith-easy");
        var texts = Enumerable.Range(0, 200).Select(_ => PretrainStream.PlainText(task.Generate(random, ProblemSplit.Train))).Append(Prose);
        return BpeTrainer.Train(texts, 320);
    });

    public static BpeTokenizer Tokenizer => s_tokenizer.Value;

    public static ModelConfig Config(int vocab) => TinyR1Config.Create(vocab, embedding: 64, layers: 3, context: 128);

    /// <summary>A model whose weights are large enough that every path (routing, bias, norms) changes the logits.</summary>
    public static TinyDeepSeek Randomized(int seed, bool withMtp = false)
    {
        manual_seed(seed);
        var model = new TinyDeepSeek(Config(Tokenizer.VocabSize), withMtp);
        using var _ = no_grad();
        foreach (var (name, p) in model.named_parameters())
        {
            if (name.EndsWith("norm.weight", StringComparison.Ordinal))
            {
                p.copy_(rand_like(p) + 0.5);
            }
            else
            {
                p.normal_(0, 0.15);
            }
        }
        foreach (var moe in model.MoeLayers)
        {
            moe.SelectionBias.copy_(randn_like(moe.SelectionBias) * 0.3);
        }
        return model;
    }

    /// <summary>Logits of <paramref name="ids"/> as [T, vocab] floats.</summary>
    public static float[][] Logits(TinyDeepSeek model, IReadOnlyList<int> ids)
    {
        model.eval();
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        var logits = model.Forward(tensor(ids.Select(i => (long)i).ToArray(), [1, ids.Count]))[0];
        return [.. Enumerable.Range(0, ids.Count).Select(t => logits[t].data<float>().ToArray())];
    }
}
