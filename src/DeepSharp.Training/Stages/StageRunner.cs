using System.Diagnostics;
using System.Globalization;
using DeepSharp.Training.Modeling;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepSharp.Training.Stages;

/// <summary>What one training step produced.</summary>
/// <param name="Loss">The scalar to minimise (its graph is still attached).</param>
/// <param name="Tokens">Tokens processed, for the throughput figure.</param>
/// <param name="Metrics">Extra values for the metrics log, in the stage's column order.</param>
public sealed record StepResult(Tensor Loss, long Tokens, double[] Metrics);

/// <summary>
/// The loop every stage shares: AdamW with a cosine schedule, gradient clipping, the router-bias balancing
/// update, per-step seeding from (seed, step), checkpoints, resume from the stage folder, metrics and progress.
/// </summary>
public static class StageRunner
{
    /// <summary>Runs (or resumes) a stage in <paramref name="dir"/> and returns the trained model.</summary>
    public static TinyDeepSeek Run(
        string label,
        string dir,
        TinyDeepSeek model,
        StageOptions options,
        IReadOnlyList<string> columns,
        Func<int, Random, StepResult> step,
        TextWriter? progressOutput = null)
    {
        Directory.CreateDirectory(dir);
        var parameters = model.parameters().ToList();
        var optimizer = optim.AdamW(parameters, options.LearningRate, 0.9, 0.95, 1e-8, options.WeightDecay);
        int start = 0;
        if (Checkpoint.TryRead(dir) is { } saved && saved.Step > 0)
        {
            if (saved.Step >= options.Steps)
            {
                Console.Error.WriteLine($"{label}: already complete ({saved.Step} steps) in '{dir}'");
                return saved.LoadModel(dir);
            }
            model.load(Checkpoint.ModelPath(dir));
            if (File.Exists(Checkpoint.OptimizerPath(dir)))
            {
                optimizer.load_state_dict(Checkpoint.OptimizerPath(dir));
            }
            start = saved.Step;
            Console.Error.WriteLine($"{label}: resuming at step {start} from '{dir}'");
        }
        var state = new Checkpoint(start, model.Mtp is not null, model.Config);
        var log = new MetricsLog(Path.Combine(dir, "metrics.csv"), ["loss", "lr", "grad_norm", "tokens_per_s", .. columns], start);
        var bar = new ProgressBar(label, start, options.Steps, progressOutput);
        var clock = new Stopwatch();
        for (int s = start; s < options.Steps; s++)
        {
            clock.Restart();
            int stepSeed = StepSeed(options.Seed, s);
            manual_seed(stepSeed);
            var random = new Random(stepSeed);
            double lr = CosineSchedule.At(s, options.Steps, options.WarmupSteps, options.LearningRate, options.MinLearningRateRatio);
            foreach (var group in optimizer.ParamGroups)
            {
                group.LearningRate = lr;
            }
            float loss;
            double gradNorm;
            StepResult result;
            using (var scope = NewDisposeScope())
            {
                optimizer.zero_grad();
                result = step(s, random);
                result.Loss.backward();
                gradNorm = nn.utils.clip_grad_norm_(parameters, options.ClipNorm);
                optimizer.step();
                loss = result.Loss.item<float>();
            }
            model.UpdateRouterBias(options.BiasUpdateRate);
            double tokensPerSecond = result.Tokens / Math.Max(1e-9, clock.Elapsed.TotalSeconds);
            log.Append(s + 1, [loss, lr, gradNorm, tokensPerSecond, .. result.Metrics]);
            bar.Report(s + 1, string.Create(CultureInfo.InvariantCulture, $"loss {loss:F3} {tokensPerSecond:F0} tok/s"));
            bool stop = s + 1 == options.StopAfter;
            if (s + 1 == options.Steps || (s + 1) % options.CheckpointEvery == 0 || stop)
            {
                (state with { Step = s + 1 }).Save(dir, model, optimizer);
            }
            if (stop)
            {
                break;
            }
        }
        return model;
    }

    /// <summary>The seed of step <paramref name="step"/> of a stage seeded with <paramref name="seed"/>.</summary>
    public static int StepSeed(int seed, int step) => (int)((((uint)seed * 2654435761u) ^ ((uint)step * 40503u)) & 0x7fffffff);
}
