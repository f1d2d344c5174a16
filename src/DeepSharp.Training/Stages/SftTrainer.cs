using DeepSharp.Evaluation;
using DeepSharp.Training.Data;
using DeepSharp.Training.Modeling;
using DeepSharp.Training.Tokenization;
using static TorchSharp.torch;

namespace DeepSharp.Training.Stages;

/// <summary>Stage 2: supervised fine-tuning on worked examples in R1's chat format; the loss covers the assistant's text only.</summary>
public static class SftTrainer
{
    /// <summary>Fine-tunes <paramref name="model"/> in <paramref name="dir"/>.</summary>
    public static TinyDeepSeek Run(TinyDeepSeek model, BpeTokenizer tokenizer, IReasoningTask task, StageOptions options, string dir, TextWriter? progress = null) =>
        StageRunner.Run("sft", dir, model, options, [], (_, random) =>
        {
            model.train();
            var examples = Enumerable.Range(0, options.BatchSize).Select(_ => ChatExample.From(tokenizer, task.Generate(random, ProblemSplit.Train))).ToList();
            var (inputs, targets, length) = ChatExample.Pack(examples, tokenizer.EosId);
            var (loss, _) = model.Loss(tensor(inputs, [examples.Count, length]), tensor(targets, [examples.Count, length]), 0);
            return new StepResult(loss, (long)examples.Count * length, []);
        }, progress);
}
