namespace DeepSharp.Training.Tokenization;

/// <summary>
/// Learns byte-level BPE merges: pre-tokenize with <see cref="PreTokenizer"/>, count pre-token frequencies,
/// then repeatedly merge the most frequent adjacent pair (ties broken by the pair's text, so the result is
/// deterministic).
/// </summary>
public static class BpeTrainer
{
    /// <summary>Trains a tokenizer of <paramref name="vocabSize"/> tokens (256 bytes + merges + specials) on <paramref name="texts"/>.</summary>
    public static BpeTokenizer Train(IEnumerable<string> texts, int vocabSize)
    {
        int mergeCount = vocabSize - 256 - BpeTokenizer.SpecialTokens.Count;
        if (mergeCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(vocabSize), vocabSize, "the vocabulary must hold the 256 bytes and the special tokens");
        }
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (string text in texts)
        {
            foreach (string piece in PreTokenizer.Split(text))
            {
                counts[piece] = counts.GetValueOrDefault(piece) + 1;
            }
        }
        var words = counts.Select(kv => (Symbols: BpeTokenizer.ByteLevel(kv.Key).Select(c => c.ToString()).ToList(), Count: kv.Value)).ToList();
        var merges = new List<string>(mergeCount);
        while (merges.Count < mergeCount)
        {
            var pairs = new Dictionary<(string, string), long>();
            foreach (var (symbols, count) in words)
            {
                for (int i = 0; i + 1 < symbols.Count; i++)
                {
                    var key = (symbols[i], symbols[i + 1]);
                    pairs[key] = pairs.GetValueOrDefault(key) + count;
                }
            }
            if (pairs.Count == 0)
            {
                break;
            }
            long top = pairs.Values.Max();
            var (left, right) = pairs.Where(kv => kv.Value == top).Select(kv => kv.Key)
                .Min(PairComparer.Instance);
            merges.Add(left + " " + right);
            string merged = left + right;
            foreach (var (symbols, _) in words)
            {
                for (int i = 0; i + 1 < symbols.Count; i++)
                {
                    if (symbols[i] == left && symbols[i + 1] == right)
                    {
                        symbols[i] = merged;
                        symbols.RemoveAt(i + 1);
                    }
                }
            }
        }
        if (merges.Count < mergeCount)
        {
            throw new InvalidOperationException($"the training text supports only {merges.Count} merges, {mergeCount} were asked for");
        }
        return new BpeTokenizer(merges);
    }

    // Among equally frequent pairs the ordinally smallest wins, so training is deterministic.
    private sealed class PairComparer : IComparer<(string, string)>
    {
        public static readonly PairComparer Instance = new();

        public int Compare((string, string) x, (string, string) y)
        {
            int c = string.CompareOrdinal(x.Item1, y.Item1);
            return c != 0 ? c : string.CompareOrdinal(x.Item2, y.Item2);
        }
    }
}
