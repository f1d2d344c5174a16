using DeepSharp.Tokenization.PreTokenizers;

namespace DeepSharp.Tokenization;

/// <summary>
/// Splits text into pre-tokens, the words that byte-level BPE then merges independently. Each model family
/// has its own sequence of splits (llama.cpp's <c>tokenizer.ggml.pre</c> names them); every split re-splits
/// each piece produced by the previous ones, as Hugging Face's <c>Sequence</c> of <c>Split</c> does.
/// The splits are hand-written matchers over code points, so characters outside the Basic Multilingual
/// Plane (emoji, rare CJK) are single characters with their own Unicode category, as in the Rust and C++
/// reference implementations.
/// </summary>
public sealed class PreTokenizer
{
    private readonly SplitRule[] _rules;

    internal PreTokenizer(string name, SplitRule[] rules)
    {
        Name = name;
        _rules = rules;
    }

    /// <summary>The llama.cpp name of the pre-tokenizer, e.g. <c>deepseek-v3</c> or <c>llama-bpe</c>.</summary>
    public string Name { get; }

    /// <summary>The pre-tokenizer names <see cref="ForName"/> accepts.</summary>
    public static IReadOnlyList<string> SupportedNames => PreTokenizerRegistry.Names;

    /// <summary>The pre-tokenizer of a llama.cpp name (<c>tokenizer.ggml.pre</c>).</summary>
    /// <exception cref="NotSupportedException">The name is not one DeepSharp implements; the message lists those it does.</exception>
    public static PreTokenizer ForName(string name) => PreTokenizerRegistry.Create(name);

    /// <summary>Splits <paramref name="text"/> into its pre-tokens (for inspection and tests).</summary>
    public IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sink = new ListSink(text);
        Split(text, ref sink);
        return sink.Pieces;
    }

    /// <summary>Reports each pre-token of <paramref name="text"/> to <paramref name="sink"/>.</summary>
    internal void Split<TSink>(ReadOnlySpan<char> text, ref TSink sink)
        where TSink : struct, IPreTokenSink =>
        Run(text, 0, 0, ref sink);

    /// <inheritdoc />
    public override string ToString() => Name;

    private void Run<TSink>(ReadOnlySpan<char> piece, int offset, int depth, ref TSink sink)
        where TSink : struct, IPreTokenSink
    {
        if (depth == _rules.Length)
        {
            sink.Add(offset, piece.Length);
            return;
        }
        var rule = _rules[depth];
        int pos = 0;
        while (pos < piece.Length && rule.FindNext(piece, pos, out int start, out int end))
        {
            if (start > pos)
            {
                Run(piece[pos..start], offset + pos, depth + 1, ref sink);
            }
            Run(piece[start..end], offset + start, depth + 1, ref sink);
            pos = end;
        }
        if (pos < piece.Length)
        {
            Run(piece[pos..], offset + pos, depth + 1, ref sink);
        }
    }

    private struct ListSink(string text) : IPreTokenSink
    {
        public List<string> Pieces { get; } = [];

        public readonly void Add(int start, int length) => Pieces.Add(text.Substring(start, length));
    }
}
