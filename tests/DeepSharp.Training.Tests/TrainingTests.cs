using DeepSharp.Evaluation;
using DeepSharp.Training.Data;
using DeepSharp.Training.Modeling;
using DeepSharp.Training.Stages;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepSharp.Training.Tests;

public sealed class TrainingTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "deepsharp-train-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir))
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    private static PretrainStream Stream() =>
        PretrainStream.Build(TinyModels.Tokenizer, [TinyModels.Prose, TinyModels.Prose], ReasoningTasks.Get("arith-easy"), 0.5, 5);

    private static StageOptions Options(int steps) => new() { Steps = steps, BatchSize = 4, LearningRate = 3e-3, WarmupSteps = 2, Seed = 9, CheckpointEvery = 5 };

    [Fact]
    public void Twenty_pretraining_steps_reduce_the_loss()
    {
        set_num_threads(1);
        manual_seed(1);
        var model = new TinyDeepSeek(TinyModels.Config(TinyModels.Tokenizer.VocabSize), withMtp: true);
        Pretrainer.Run(model, TinyModels.Tokenizer, Stream(), Options(20), 32, 0.3f, _dir, TextWriter.Null);
        var loss = MetricsLog.ReadColumn(Path.Combine(_dir, "metrics.csv"), "main_loss");
        Assert.Equal(20, loss.Count);
        Assert.True(loss.TakeLast(3).Average(p => p.Value) < loss.Take(3).Average(p => p.Value) - 0.5,
            $"loss went from {loss[0].Value} to {loss[^1].Value}");
    }

    [Fact]
    public void A_resumed_run_ends_with_the_weights_of_an_uninterrupted_one()
    {
        set_num_threads(1);
        var stream = Stream();
        manual_seed(2);
        var straight = Pretrainer.Run(new TinyDeepSeek(TinyModels.Config(TinyModels.Tokenizer.VocabSize)), TinyModels.Tokenizer, stream, Options(10), 16, 0, Path.Combine(_dir, "a"), TextWriter.Null);
        manual_seed(2);
        Pretrainer.Run(new TinyDeepSeek(TinyModels.Config(TinyModels.Tokenizer.VocabSize)), TinyModels.Tokenizer, stream, Options(10) with { StopAfter = 5 }, 16, 0, Path.Combine(_dir, "b"), TextWriter.Null);
        // A fresh process would start from a new model; the checkpoint (weights, AdamW moments, step) must carry everything.
        manual_seed(99);
        var resumed = Pretrainer.Run(new TinyDeepSeek(TinyModels.Config(TinyModels.Tokenizer.VocabSize)), TinyModels.Tokenizer, stream, Options(10), 16, 0, Path.Combine(_dir, "b"), TextWriter.Null);
        var a = straight.named_parameters().ToDictionary(p => p.name, p => p.parameter);
        foreach (var (name, p) in resumed.named_parameters())
        {
            Assert.True(allclose(a[name], p, rtol: 1e-4, atol: 1e-6), $"parameter {name} differs after resuming");
        }
        var bias = straight.MoeLayers.Zip(resumed.MoeLayers, (x, y) => allclose(x.SelectionBias, y.SelectionBias)).ToList();
        Assert.All(bias, Assert.True);
    }

    [Fact]
    public void Router_bias_rises_for_idle_experts_and_falls_for_busy_ones()
    {
        set_num_threads(1);
        var model = TinyModels.Randomized(4);
        var moe = model.MoeLayers.First();
        model.train();
        using (no_grad())
        {
            model.Forward(tensor(TinyModels.Tokenizer.Encode(TinyModels.Prose).Take(100).Select(i => (long)i).ToArray()).unsqueeze(0));
        }
        long[] load = [.. moe.Load];
        var before = moe.SelectionBias.data<float>().ToArray();
        model.UpdateRouterBias(0.01f);
        var after = moe.SelectionBias.data<float>().ToArray();
        double mean = load.Average();
        for (int e = 0; e < load.Length; e++)
        {
            float expected = load[e] < mean ? 0.01f : load[e] > mean ? -0.01f : 0f;
            Assert.Equal(expected, after[e] - before[e], 5);
        }
        Assert.All(moe.Load, l => Assert.Equal(0, l));
    }

    [Fact]
    public void Cached_decoding_gives_the_logits_of_a_full_forward()
    {
        set_num_threads(1);
        var model = TinyModels.Randomized(5);
        var ids = TinyModels.Tokenizer.Encode(R1Prompt.Render("What is 12 + 34?") + "2+4+0=6");
        var full = TinyModels.Logits(model, ids);
        using var _ = no_grad();
        using var cache = model.CreateCache(1, ids.Count);
        var prefix = tensor(ids.Take(10).Select(i => (long)i).ToArray()).unsqueeze(0);
        model.Forward(prefix, 0, cache);
        for (int t = 10; t < ids.Count; t++)
        {
            var step = model.Forward(tensor(new long[] { ids[t] }).unsqueeze(0), t, cache)[0, 0].data<float>().ToArray();
            for (int v = 0; v < step.Length; v++)
            {
                Assert.True(Math.Abs(full[t][v] - step[v]) < 1e-4, $"position {t}, token {v}: {full[t][v]} vs {step[v]}");
            }
        }
    }

    [Fact]
    public void Chat_examples_train_only_the_completion()
    {
        var tok = TinyModels.Tokenizer;
        var example = ChatExample.From(tok, ArithmeticTask.Create(ArithmeticOperation.Add, 12, 9));
        var (inputs, targets, length) = ChatExample.Pack([example], tok.EosId);
        int trained = targets.Count(t => t != -100);
        Assert.Equal(example.Completion.Length, trained);
        Assert.Equal(example.Prompt.Length + example.Completion.Length - 1, length);
        Assert.Equal(tok.EosId, targets[length - 1]);
        Assert.Equal(example.Prompt[^1], inputs[example.Prompt.Length - 1]);
    }

    [Fact]
    public void Chat_examples_after_earlier_turns_hold_them_in_the_prompt_and_train_only_the_last_completion()
    {
        var tok = TinyModels.Tokenizer;
        var first = ArithmeticTask.Create(ArithmeticOperation.Add, 12, 9);
        var last = ArithmeticTask.Create(ArithmeticOperation.Subtract, 40, 7);
        var alone = ChatExample.From(tok, last);
        var example = ChatExample.From(tok, [first], last);
        Assert.Equal(tok.Encode(R1Prompt.Render([first], last.Question)), example.Prompt);
        Assert.Equal(alone.Completion, example.Completion);
        Assert.True(example.Prompt.Length > alone.Prompt.Length);
        var (_, targets, _) = ChatExample.Pack([example], tok.EosId);
        Assert.Equal(example.Completion.Length, targets.Count(t => t != -100));
    }

    [Fact]
    public void Grpo_batches_mask_everything_but_the_completions()
    {
        int[][] prompts = [[1, 2, 3], [4, 5]];
        int[][] completions = [[7, 8], [9], [10, 11, 12], [13]];
        var (inputs, targets, mask, length) = GrpoTrainer.Pack(prompts, completions, 2, 0);
        Assert.Equal(4, length);
        // Row 0: 1 2 3 7 8 → targets 2 3 7 8; only the last two predict completion tokens.
        Assert.Equal([1L, 2, 3, 7], inputs[..4]);
        Assert.Equal([2L, 3, 7, 8], targets[..4]);
        Assert.Equal([0f, 0, 1, 1], mask[..4]);
        // Row 2: 4 5 10 11 12 → mask from the token after the prompt.
        Assert.Equal([0f, 1, 1, 1], mask[8..12]);
        Assert.Equal(completions.Sum(c => c.Length), (int)mask.Sum());
    }
}
