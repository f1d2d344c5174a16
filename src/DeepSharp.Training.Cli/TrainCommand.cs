using System.CommandLine;
using System.Globalization;
using DeepSharp.Evaluation;
using DeepSharp.Fixtures;
using DeepSharp.Quantization;
using DeepSharp.Training.Export;
using DeepSharp.Training.Plotting;
using DeepSharp.Training.Stages;

namespace DeepSharp.Training.Cli;

/// <summary>
/// The <c>deepsharp-train</c> command. It is a separate executable so that TorchSharp's native payload stays out
/// of the main <c>deepsharp</c> CLI.
/// </summary>
internal static class TrainCommand
{
    private static readonly Option<string> s_run = new("--run") { Description = "Run folder (tokenizer, stage checkpoints, metrics, plots)", DefaultValueFactory = _ => "runs/tiny-r1" };
    private static readonly Option<string> s_corpus = new("--corpus") { Description = "Plain-text prose corpus", DefaultValueFactory = _ => "../shared/data/corpus/austen.txt" };
    private static readonly Option<int> s_seed = new("--seed") { Description = "Seed of every stage", DefaultValueFactory = _ => 1 };
    private static readonly Option<int> s_threads = new("--threads") { Description = "CPU threads for TorchSharp", DefaultValueFactory = _ => 2 };
    private static readonly Option<int?> s_steps = new("--steps") { Description = "Optimizer steps of the stage (default: the recipe's)" };

    public static int Run(string[] args)
    {
        var root = new RootCommand("deepsharp-train: train the tiny deepseek2 reasoning model (pretrain, SFT, GRPO), export it to GGUF, evaluate it")
        {
            Recipe(), Stage("tokenizer"), Stage("pretrain"), Stage("sft"), Stage("grpo"), Eval(), Export(), Plot(),
        };
        return root.Parse(args).Invoke();
    }

    private static Command Recipe()
    {
        var export = new Option<string>("--export") { Description = "Where to write the final GGUF", DefaultValueFactory = _ => "models/deepsharp-tiny-r1.gguf" };
        var pretrain = new Option<int?>("--pretrain-steps") { Description = "Pretraining steps" };
        var sft = new Option<int?>("--sft-steps") { Description = "SFT steps" };
        var grpo = new Option<int?>("--grpo-steps") { Description = "GRPO steps" };
        var evalCount = new Option<int?>("--eval-count") { Description = "Held-out problems per evaluation" };
        var command = new Command("recipe", "Run every stage, evaluate after SFT and after GRPO, export the model and draw the plots")
        {
            s_run, s_corpus, s_seed, s_threads, export, pretrain, sft, grpo, evalCount,
        };
        command.SetAction(r => Guard(() =>
        {
            var o = Options(r);
            o = o with
            {
                Pretrain = o.Pretrain with { Steps = r.GetValue(pretrain) ?? o.Pretrain.Steps },
                Sft = o.Sft with { Steps = r.GetValue(sft) ?? o.Sft.Steps },
                Grpo = o.Grpo with { Steps = r.GetValue(grpo) ?? o.Grpo.Steps },
                EvalCount = r.GetValue(evalCount) ?? o.EvalCount,
            };
            var summary = new Stages.Recipe(o, Console.Out).RunAll(r.GetValue(export)!);
            Console.WriteLine(FormattableString.Invariant($"total {TimeSpan.FromSeconds(summary.TotalSeconds):hh\\:mm\\:ss}"));
            foreach (var (key, value) in summary.Accuracy)
            {
                Console.WriteLine(FormattableString.Invariant($"{key}: {value:F1}% correct"));
            }
        }));
        return command;
    }

    private static Command Stage(string name)
    {
        var lr = new Option<double?>("--lr") { Description = "Peak learning rate (default: the recipe's)" };
        var batch = new Option<int?>("--batch") { Description = "Sequences per step; GRPO: prompts per step (default: the recipe's)" };
        var task = new Option<string?>("--task") { Description = "SFT or GRPO task (default: the recipe's)" };
        var kl = new Option<double?>("--kl") { Description = "GRPO: weight of the KL penalty (default: the recipe's)" };
        var stepReward = new Option<double?>("--step-reward") { Description = "GRPO: weight of the step credit (default: the recipe's)" };
        var temperature = new Option<double?>("--temperature") { Description = "GRPO: sampling temperature (default: the recipe's)" };
        var earlierTurns = new Option<int?>("--earlier-turns") { Description = "SFT: ask each question after up to N earlier question-answer turns (default: the recipe's, 3)" };
        var command = new Command(name, name == "tokenizer" ? "Train the byte-level BPE tokenizer of the run" : $"Run (or resume) the {name} stage")
        {
            s_run, s_corpus, s_seed, s_threads, s_steps, lr, batch, task, kl, stepReward, temperature, earlierTurns,
        };
        command.SetAction(r => Guard(() =>
        {
            var o = Options(r);
            StageOptions Tuned(StageOptions s) => s with
            {
                Steps = r.GetValue(s_steps) ?? s.Steps,
                LearningRate = r.GetValue(lr) ?? s.LearningRate,
                BatchSize = r.GetValue(batch) ?? s.BatchSize,
            };
            o = name switch
            {
                "pretrain" => o with { Pretrain = Tuned(o.Pretrain) },
                "sft" => o with { Sft = Tuned(o.Sft), SftTask = r.GetValue(task) ?? o.SftTask, SftEarlierTurns = r.GetValue(earlierTurns) ?? o.SftEarlierTurns },
                "grpo" => o with
                {
                    Grpo = Tuned(o.Grpo),
                    GrpoTask = r.GetValue(task) ?? o.GrpoTask,
                    GrpoSampling = o.GrpoSampling with
                    {
                        KlWeight = r.GetValue(kl) ?? o.GrpoSampling.KlWeight,
                        StepReward = r.GetValue(stepReward) ?? o.GrpoSampling.StepReward,
                        Temperature = r.GetValue(temperature) ?? o.GrpoSampling.Temperature,
                    },
                },
                _ => o,
            };
            var recipe = new Stages.Recipe(o, Console.Out);
            _ = name switch
            {
                "tokenizer" => (object)recipe.Tokenizer(),
                "pretrain" => recipe.Pretrain(),
                "sft" => recipe.Sft(),
                _ => recipe.Grpo(),
            };
        }));
        return command;
    }

    private static Command Eval()
    {
        var model = new Argument<string>("model") { Description = "A GGUF written by this trainer, or a stage folder of a run (e.g. runs/tiny-r1/grpo)" };
        var task = new Option<string>("--task") { Description = $"Task ({string.Join(", ", ReasoningTasks.Names)})", DefaultValueFactory = _ => "arith-hard" };
        var count = new Option<int>("--count") { Description = "Held-out problems to ask", DefaultValueFactory = _ => 500 };
        var show = new Option<int>("--show") { Description = "Print this many completions", DefaultValueFactory = _ => 0 };
        var command = new Command("eval", "Greedy accuracy on held-out problems of a task") { model, task, count, show, s_threads };
        command.SetAction(r => Guard(() =>
        {
            TorchSharp.torch.set_num_threads(r.GetValue(s_threads));
            string path = r.GetValue(model)!;
            var (m, tokenizer) = path.EndsWith(".gguf", StringComparison.OrdinalIgnoreCase)
                ? GgufImporter.Load(path)
                : (Checkpoint.Read(path).LoadModel(path), new Tokenization.BpeTokenizer(File.ReadAllLines(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, "tokenizer.txt"))));
            var t = ReasoningTasks.Get(r.GetValue(task)!);
            var result = Stages.Recipe.Evaluate(m, tokenizer, t, r.GetValue(count));
            Console.WriteLine(result);
            int shown = r.GetValue(show);
            if (shown > 0)
            {
                var problems = TaskEvaluator.Problems(t, shown, 7);
                var completions = Modeling.Decoder.CompleteGreedy(m, tokenizer, [.. problems.Select(p => p.Question)], 128);
                for (int i = 0; i < shown; i++)
                {
                    Console.WriteLine($"--- {problems[i].Question} (expected {problems[i].Answer})\n{completions[i]}");
                }
            }
        }));
        return command;
    }

    private static Command Export()
    {
        var stage = new Option<string>("--stage") { Description = "pretrain, sft or grpo", DefaultValueFactory = _ => "grpo" };
        var output = new Option<string>("--out") { Description = "GGUF path", Required = true };
        var layout = new Option<string>("--layout") { Description = "MLA layout: split (attn_k_b/attn_v_b) or merged (attn_kv_b)", DefaultValueFactory = _ => "split" };
        var type = new Option<string>("--type") { Description = "Matrix type: f32 or f16", DefaultValueFactory = _ => "f32" };
        var command = new Command("export", "Write a stage's checkpoint as a deepseek2 GGUF") { s_run, stage, output, layout, type };
        command.SetAction(r => Guard(() =>
        {
            var kv = r.GetValue(layout) switch
            {
                "split" => MlaKvLayout.Split,
                "merged" => MlaKvLayout.Merged,
                var other => throw new ArgumentException($"unknown layout '{other}' (split, merged)"),
            };
            var t = r.GetValue(type) switch
            {
                "f32" => GgmlType.F32,
                "f16" => GgmlType.F16,
                var other => throw new ArgumentException($"unknown type '{other}' (f32, f16)"),
            };
            new Stages.Recipe(new RecipeOptions { Run = r.GetValue(s_run)!, Corpus = "" }, Console.Out).Export(r.GetValue(stage)!, r.GetValue(output)!, kv, t);
        }));
        return command;
    }

    private static Command Plot()
    {
        var command = new Command("plot", "Draw the run's loss and reward curves as PNG files in RUN/plots") { s_run };
        command.SetAction(r => Guard(() =>
        {
            string run = r.GetValue(s_run)!;
            foreach (string path in TrainingPlots.Write(new RunLayout(run), Path.Combine(run, "plots")))
            {
                Console.WriteLine(path);
            }
        }));
        return command;
    }

    private static RecipeOptions Options(ParseResult r)
    {
        TorchSharp.torch.set_num_threads(r.GetValue(s_threads));
        int seed = r.GetValue(s_seed);
        var o = new RecipeOptions { Run = r.GetValue(s_run)!, Corpus = r.GetValue(s_corpus)!, Seed = seed };
        return o with
        {
            Pretrain = o.Pretrain with { Seed = seed },
            Sft = o.Sft with { Seed = seed + 1 },
            Grpo = o.Grpo with { Seed = seed + 2 },
        };
    }

    private static int Guard(Action action)
    {
        try
        {
            action();
            return 0;
        }
        catch (Exception e) when (e is InvalidDataException or IOException or NotSupportedException or ArgumentException
            or UnauthorizedAccessException or KeyNotFoundException or InvalidOperationException or Formats.Gguf.GgufFormatException)
        {
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"deepsharp-train: error: {e.Message}"));
            if (Environment.GetEnvironmentVariable("DEEPSHARP_TRACE") == "1")
            {
                Console.Error.WriteLine(e);
            }
            return 1;
        }
    }
}
