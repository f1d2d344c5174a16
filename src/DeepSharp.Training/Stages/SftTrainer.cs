using DeepSharp.Evaluation;
using DeepSharp.Training.Data;
using DeepSharp.Training.Modeling;
using DeepSharp.Training.Tokenization;
using static TorchSharp.torch;

namespace DeepSharp.Training.Stages;

/// <summary>Stage 2: supervised fine-tuning on worked examples in R1's chat format; the loss covers the assistant's text only.</summary>
public static class SftTrainer
{
    /// <summary>
    /// Fine-tunes <paramref name="model"/> in <paramref name="dir"/>. With <paramref name="maxEarlierTurns"/> above 0,
    /// each example is asked after 0..<paramref name="maxEarlierTurns"/> earlier question–answer turns (drawn
    /// uniformly), so the model learns to answer the last question of a conversation; 0 draws nothing extra, so
    /// such runs keep the data of runs made before the option existed.
    /// </summary>
    public static TinyDeepSeek Run(TinyDeepSeek model, BpeTokenizer tokenizer, IReasoningTask task, StageOptions options, string dir, TextWriter? progress = null, int maxEarlierTurns = 0) =>
        StageRunner.Run("sft", dir, model, options, [], (_, random) =>
        {
            model.train();
            var examples = Enumerable.Range(0, options.BatchSize).Select(_ =>
            {
                var earlier = maxEarlierTurns == 0 ? [] : Enumerable.Range(0, random.Next(maxEarlierTurns + 1)).Select(_ => task.Generate(random, ProblemSplit.Train)).ToArray();
                return ChatExample.From(tokenizer, earlier, task.Generate(random, ProblemSplit.Train));
            }).ToList();
            var (inputs, targets, length) = ChatExample.Pack(examples, tokenizer.EosId);
            var (loss, _) = model.Loss(tensor(inputs, [examples.Count, length]), tensor(targets, [examples.Count, length]), 0);
            return new StepResult(loss, (long)examples.Count * length, []);
        }, progress);
}
