using System.CommandLine;
using System.Globalization;
using DeepSharp.Evaluation;
using DeepSharp.Models;
using DeepSharp.Tokenization;

namespace DeepSharp.Cli;

/// <summary>
/// <c>deepsharp perplexity MODEL -f FILE [--ctx N]</c>: the model's perplexity on a text by llama.cpp's method
/// (non-overlapping chunks of N tokens, BOS at each chunk's start, the second half of each chunk scored).
/// </summary>
internal static class PerplexityCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "Path to a GGUF file" };
        var file = new Option<string>("--file", "-f") { Description = "A UTF-8 text file", Required = true };
        var context = new Option<int>("--ctx", "-c") { Description = "Tokens per chunk (llama.cpp's default is 512)", DefaultValueFactory = _ => 512 };
        var command = new Command("perplexity", "Measure a model's perplexity on a text (llama.cpp's method)") { model, file, context };
        command.SetAction(r => CliErrors.Guard(() => Run(r.GetValue(model)!, r.GetValue(file)!, r.GetValue(context), Console.Out)));
        return command;
    }

    public static int Run(string modelPath, string textPath, int contextLength, TextWriter output)
    {
        string text = File.ReadAllText(textPath);
        var tokenizer = Tokenizer.Load(modelPath);
        using var model = TransformerModel.Load(modelPath);
        // As llama.cpp: the whole text is tokenized with the model's BOS, and each chunk starts with BOS.
        int[] tokens = tokenizer.Encode(text, addSpecial: true);
        int? bos = tokenizer.Vocabulary.AddBos ? tokenizer.Vocabulary.BosId : null;
        output.WriteLine($"{tokens.Length} tokens, {tokens.Length / Math.Max(contextLength, 1)} chunks of {contextLength}");
        var result = Perplexity.Compute(model, tokens, contextLength, bos,
            (chunk, running) => output.Write(string.Create(CultureInfo.InvariantCulture, $"[{chunk}]{running:0.0000},")));
        output.WriteLine();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"perplexity: {result.Perplexity:0.0000} (mean NLL {result.MeanNegativeLogLikelihood:0.000000} nats over {result.ScoredTokens} tokens, {result.Chunks} chunks)"));
        return 0;
    }
}
