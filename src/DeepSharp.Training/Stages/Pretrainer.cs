using DeepSharp.Evaluation;
using DeepSharp.Training.Data;
using DeepSharp.Training.Modeling;
using DeepSharp.Training.Tokenization;
using static TorchSharp.torch;

namespace DeepSharp.Training.Stages;

/// <summary>Stage 1: next-token pretraining on prose plus plain worked arithmetic, with the MTP loss.</summary>
public static class Pretrainer
{
    /// <summary>Trains <paramref name="model"/> in <paramref name="dir"/> (resuming when a checkpoint is there).</summary>
    public static TinyDeepSeek Run(TinyDeepSeek model, BpeTokenizer tokenizer, PretrainStream stream, StageOptions options, int sequenceLength, float mtpWeight, string dir, TextWriter? progress = null)
    {
        var batch = new long[options.BatchSize * (sequenceLength + 1)];
        return StageRunner.Run("pretrain", dir, model, options, ["main_loss"], (_, random) =>
        {
            model.train();
            stream.Sample(random, options.BatchSize, sequenceLength, batch);
            var all = tensor(batch, [options.BatchSize, sequenceLength + 1]);
            var (loss, main) = model.Loss(all.narrow(1, 0, sequenceLength), all.narrow(1, 1, sequenceLength), mtpWeight);
            return new StepResult(loss, (long)options.BatchSize * sequenceLength, [main.item<float>()]);
        }, progress);
    }

    /// <summary>Trains the run's tokenizer on prose and worked arithmetic text.</summary>
    public static BpeTokenizer TrainTokenizer(IReadOnlyList<string> paragraphs, IReasoningTask task, int vocabSize, int seed)
    {
        var random = new Random(seed);
        var texts = paragraphs.Concat(Enumerable.Range(0, 2000).Select(_ => PretrainStream.PlainText(task.Generate(random, ProblemSplit.Train))));
        return BpeTrainer.Train(texts, vocabSize);
    }
}
