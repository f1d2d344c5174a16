using System.Diagnostics;
using System.Text.Json;
using DeepSharp.Evaluation;
using DeepSharp.Fixtures;
using DeepSharp.Training.Data;
using DeepSharp.Training.Export;
using DeepSharp.Training.Modeling;
using DeepSharp.Training.Plotting;
using DeepSharp.Training.Tokenization;

namespace DeepSharp.Training.Stages;

/// <summary>The stages of the tiny R1 recipe, each resumable from its folder, and the whole recipe in one call.</summary>
public sealed class Recipe(RecipeOptions options, TextWriter log)
{
    private readonly RunLayout _layout = new(options.Run);

    /// <summary>Loads the run's tokenizer, training and saving it first when the run has none.</summary>
    public BpeTokenizer Tokenizer()
    {
        if (File.Exists(_layout.Tokenizer))
        {
            return new BpeTokenizer(File.ReadAllLines(_layout.Tokenizer));
        }
        Directory.CreateDirectory(options.Run);
        var tokenizer = Pretrainer.TrainTokenizer(TextCorpus.ReadParagraphs(options.Corpus), ReasoningTasks.Get(options.PretrainTask), options.VocabSize, options.Seed);
        File.WriteAllLines(_layout.Tokenizer, tokenizer.Merges);
        log.WriteLine($"tokenizer: {tokenizer.VocabSize} tokens ({tokenizer.Merges.Count} merges) -> {_layout.Tokenizer}");
        return tokenizer;
    }

    /// <summary>Stage 1.</summary>
    public TinyDeepSeek Pretrain()
    {
        var tokenizer = Tokenizer();
        if (Checkpoint.TryRead(_layout.Pretrain) is { } done && done.Step >= options.Pretrain.Steps)
        {
            log.WriteLine($"pretrain: already complete ({done.Step} steps) in '{_layout.Pretrain}'");
            return done.LoadModel(_layout.Pretrain);
        }
        var task = ReasoningTasks.Get(options.PretrainTask);
        var stream = PretrainStream.Build(tokenizer, TextCorpus.ReadParagraphs(options.Corpus), task, options.ArithmeticShare, options.Seed);
        log.WriteLine($"pretrain stream: {stream.Length:N0} tokens, {stream.ArithmeticShare:P0} arithmetic");
        TorchSharp.torch.manual_seed(options.Seed);
        var config = TinyR1Config.Create(tokenizer.VocabSize, options.Embedding, options.Layers);
        var model = new TinyDeepSeek(config, withMtp: options.MtpWeight > 0);
        log.WriteLine($"model: {model.parameters().Sum(p => p.numel()):N0} parameters (MTP module included)");
        return Pretrainer.Run(model, tokenizer, stream, options.Pretrain, options.SequenceLength, options.MtpWeight, _layout.Pretrain);
    }

    /// <summary>Stage 2, from the pretraining checkpoint.</summary>
    public TinyDeepSeek Sft()
    {
        var tokenizer = Tokenizer();
        var model = Checkpoint.Read(_layout.Pretrain).LoadModel(_layout.Pretrain);
        return SftTrainer.Run(model, tokenizer, ReasoningTasks.Get(options.SftTask), options.Sft, _layout.Sft, maxEarlierTurns: options.SftEarlierTurns);
    }

    /// <summary>Stage 3, from the SFT checkpoint (which is also the KL reference).</summary>
    public TinyDeepSeek Grpo()
    {
        var tokenizer = Tokenizer();
        var start = Checkpoint.Read(_layout.Sft);
        var policy = start.LoadModel(_layout.Sft);
        var reference = start.LoadModel(_layout.Sft);
        return GrpoTrainer.Run(policy, reference, tokenizer, ReasoningTasks.Get(options.GrpoTask), options.Grpo, options.GrpoSampling, _layout.Grpo);
    }

    /// <summary>Greedy accuracy of a stage's checkpoint on held-out problems of <paramref name="taskName"/>.</summary>
    public EvaluationResult Evaluate(string stage, string taskName, int count)
    {
        var tokenizer = Tokenizer();
        string dir = _layout.Stage(stage);
        var model = Checkpoint.Read(dir).LoadModel(dir);
        return Evaluate(model, tokenizer, ReasoningTasks.Get(taskName), count, options.GrpoSampling.MaxNewTokens);
    }

    /// <summary>Greedy accuracy of <paramref name="model"/> on held-out problems (evaluation seed 7, disjoint from training by the split).</summary>
    public static EvaluationResult Evaluate(TinyDeepSeek model, BpeTokenizer tokenizer, IReasoningTask task, int count, int maxNewTokens = 128) =>
        TaskEvaluator.Evaluate(task, count, 7, q => Decoder.CompleteGreedy(model, tokenizer, q, maxNewTokens));

    /// <summary>Writes a stage's checkpoint as GGUF.</summary>
    public void Export(string stage, string path, MlaKvLayout layout, Quantization.GgmlType type)
    {
        var tokenizer = Tokenizer();
        string dir = _layout.Stage(stage);
        var model = Checkpoint.Read(dir).LoadModel(dir);
        GgufExporter.Write(model, tokenizer, path, layout, type);
        log.WriteLine($"exported {stage} -> {path} ({new FileInfo(path).Length:N0} bytes, {layout} MLA layout, {type})");
    }

    /// <summary>Runs every stage, evaluates after SFT and after GRPO, exports, plots, and writes <c>summary.json</c>.</summary>
    public RecipeSummary RunAll(string exportPath)
    {
        var total = Stopwatch.StartNew();
        var times = new Dictionary<string, double>();
        void Timed(string name, Action action)
        {
            var clock = Stopwatch.StartNew();
            action();
            times[name] = clock.Elapsed.TotalSeconds;
            log.WriteLine($"{name}: {clock.Elapsed:hh\\:mm\\:ss}");
        }
        var results = new Dictionary<string, EvaluationResult>();
        Timed("tokenizer", () => Tokenizer());
        Timed("pretrain", () => Pretrain());
        Timed("sft", () => Sft());
        Timed("eval_sft", () =>
        {
            foreach (string task in EvalTasks)
            {
                results["sft/" + task] = Evaluate("sft", task, options.EvalCount);
                log.WriteLine("after SFT  " + results["sft/" + task]);
            }
        });
        Timed("grpo", () => Grpo());
        Timed("eval_grpo", () =>
        {
            foreach (string task in EvalTasks)
            {
                results["grpo/" + task] = Evaluate("grpo", task, options.EvalCount);
                log.WriteLine("after GRPO " + results["grpo/" + task]);
            }
        });
        Timed("export", () => Export("grpo", exportPath, MlaKvLayout.Split, Quantization.GgmlType.F32));
        Timed("plots", () => TrainingPlots.Write(_layout, Path.Combine(options.Run, "plots")));
        var summary = new RecipeSummary(times, total.Elapsed.TotalSeconds, results.ToDictionary(kv => kv.Key, kv => kv.Value.AccuracyPercent),
            results.ToDictionary(kv => kv.Key, kv => kv.Value.FormatPercent), options.EvalCount);
        File.WriteAllText(Path.Combine(options.Run, "summary.json"), JsonSerializer.Serialize(summary, new JsonSerializerOptions { WriteIndented = true }));
        return summary;
    }

    private IEnumerable<string> EvalTasks =>
        new[] { options.HeadlineTask, options.GrpoTask, options.SftTask, "arith-easy", "arith-long" }.Distinct(StringComparer.OrdinalIgnoreCase);
}

/// <summary>Times (seconds) and held-out accuracies (percent) of a full recipe run.</summary>
public sealed record RecipeSummary(Dictionary<string, double> Seconds, double TotalSeconds, Dictionary<string, double> Accuracy, Dictionary<string, double> WellFormed, int EvalCount);
