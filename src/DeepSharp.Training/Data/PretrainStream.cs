using DeepSharp.Evaluation;
using DeepSharp.Training.Tokenization;

namespace DeepSharp.Training.Data;

/// <summary>
/// The pretraining token stream: prose paragraphs and plain worked arithmetic ("question, steps, Answer: n"),
/// each document framed by BOS and EOS, shuffled together by a seed. Batches are random windows.
/// </summary>
public sealed class PretrainStream
{
    private readonly int[] _tokens;

    private PretrainStream(int[] tokens) => _tokens = tokens;

    /// <summary>Tokens in the stream.</summary>
    public int Length => _tokens.Length;

    /// <summary>Share of tokens that come from arithmetic documents.</summary>
    public double ArithmeticShare { get; private init; }

    /// <summary>Builds the stream from <paramref name="paragraphs"/> plus arithmetic documents until they make up <paramref name="arithmeticShare"/> of it.</summary>
    public static PretrainStream Build(BpeTokenizer tokenizer, IReadOnlyList<string> paragraphs, IReasoningTask task, double arithmeticShare, int seed)
    {
        var random = new Random(seed);
        var docs = new List<int[]>();
        long prose = 0;
        foreach (string p in paragraphs)
        {
            var ids = Frame(tokenizer, tokenizer.Encode(p));
            prose += ids.Length;
            docs.Add(ids);
        }
        long wanted = (long)(prose * arithmeticShare / (1 - arithmeticShare));
        long arithmetic = 0;
        while (arithmetic < wanted)
        {
            var problem = task.Generate(random, ProblemSplit.Train);
            var ids = Frame(tokenizer, tokenizer.Encode(PlainText(problem)));
            arithmetic += ids.Length;
            docs.Add(ids);
        }
        var shuffled = docs.ToArray();
        random.Shuffle(shuffled);
        return new PretrainStream([.. shuffled.SelectMany(d => d)]) { ArithmeticShare = (double)arithmetic / (prose + arithmetic) };
    }

    /// <summary>The plain-text form of a worked problem used in pretraining (no chat markup).</summary>
    public static string PlainText(ReasoningProblem problem) => problem.Question + "\n" + problem.Reasoning + "\nAnswer: " + problem.Answer;

    /// <summary>Fills <paramref name="batch"/> [rows × (length+1)] with random windows.</summary>
    public void Sample(Random random, int rows, int length, long[] batch)
    {
        if (_tokens.Length <= length + 1)
        {
            throw new InvalidOperationException($"the stream of {_tokens.Length} tokens is shorter than a window of {length + 1}");
        }
        for (int r = 0; r < rows; r++)
        {
            int start = random.Next(_tokens.Length - length - 1);
            for (int i = 0; i <= length; i++)
            {
                batch[(r * (length + 1)) + i] = _tokens[start + i];
            }
        }
    }

    private static int[] Frame(BpeTokenizer tokenizer, List<int> ids) => [tokenizer.BosId, .. ids, tokenizer.EosId];
}
