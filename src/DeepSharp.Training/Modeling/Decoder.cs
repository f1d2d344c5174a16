using DeepSharp.Evaluation;
using DeepSharp.Training.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace DeepSharp.Training.Modeling;

/// <summary>Batched decoding with a KV cache: greedy (temperature 0) or sampled, stopping at EOS.</summary>
public static class Decoder
{
    /// <summary>
    /// Continues each prompt (all of the same length) by up to <paramref name="maxNewTokens"/> tokens. Returns the
    /// generated ids per prompt, EOS included when it was produced.
    /// </summary>
    public static List<int[]> Generate(TinyDeepSeek model, IReadOnlyList<int[]> prompts, int maxNewTokens, double temperature, int eosId)
    {
        int n = prompts.Count, length = prompts[0].Length;
        if (prompts.Any(p => p.Length != length))
        {
            throw new ArgumentException("a generation batch needs prompts of equal length", nameof(prompts));
        }
        bool wasTraining = model.training;
        model.eval();
        var outputs = Enumerable.Range(0, n).Select(_ => new List<int>()).ToList();
        var done = new bool[n];
        try
        {
            using var noGrad = no_grad();
            using var cache = model.CreateCache(n, length + maxNewTokens);
            using var outer = NewDisposeScope();
            var input = tensor(prompts.SelectMany(p => p.Select(t => (long)t)).ToArray(), [n, length]);
            int position = 0;
            for (int step = 0; step < maxNewTokens; step++)
            {
                using var scope = NewDisposeScope();
                var logits = model.Forward(input, position, cache).select(1, -1);
                position += (int)input.shape[1];
                var next = temperature <= 0
                    ? logits.argmax(-1)
                    : multinomial(softmax(logits / temperature, -1), 1).squeeze(-1);
                long[] ids = next.data<long>().ToArray();
                bool all = true;
                for (int i = 0; i < n; i++)
                {
                    if (!done[i])
                    {
                        outputs[i].Add((int)ids[i]);
                        done[i] = ids[i] == eosId;
                    }
                    all &= done[i];
                }
                if (all)
                {
                    break;
                }
                input = next.unsqueeze(1).MoveToOuterDisposeScope();
            }
        }
        finally
        {
            model.train(wasTraining);
        }
        return [.. outputs.Select(o => o.ToArray())];
    }

    /// <summary>
    /// Completes R1 prompts for <paramref name="questions"/> greedily, batching questions whose prompts have the
    /// same token count, and returns the decoded completions in question order.
    /// </summary>
    public static List<string> CompleteGreedy(TinyDeepSeek model, BpeTokenizer tokenizer, IReadOnlyList<string> questions, int maxNewTokens, int batchSize = 128)
    {
        var results = new string[questions.Count];
        var prompts = questions.Select(q => tokenizer.Encode(R1Prompt.Render(q)).ToArray()).ToArray();
        foreach (var group in Enumerable.Range(0, questions.Count).GroupBy(i => prompts[i].Length))
        {
            foreach (var chunk in group.Chunk(batchSize))
            {
                var generated = Generate(model, [.. chunk.Select(i => prompts[i])], maxNewTokens, 0, tokenizer.EosId);
                for (int j = 0; j < chunk.Length; j++)
                {
                    results[chunk[j]] = tokenizer.Decode(generated[j]);
                }
            }
        }
        return [.. results];
    }
}
