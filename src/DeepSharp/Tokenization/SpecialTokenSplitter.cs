using System.Buffers;

namespace DeepSharp.Tokenization;

/// <summary>
/// Cuts added tokens (control, user-defined and unknown tokens) out of text before BPE: at each position the
/// longest added token that starts there wins, scanning left to right, like Hugging Face's leftmost-longest
/// matcher. Control and unknown tokens are matched only when special tokens are parsed; user-defined ones
/// always are (llama.cpp's <c>tokenizer_st_partition</c> rule).
/// </summary>
internal sealed class SpecialTokenSplitter
{
    private readonly Node _root = new();
    private readonly SearchValues<char> _firstChars;

    public SpecialTokenSplitter(Vocabulary vocabulary)
    {
        var first = new HashSet<char>();
        for (int id = 0; id < vocabulary.Count; id++)
        {
            var type = vocabulary.GetTokenType(id);
            string text = vocabulary.GetToken(id);
            if (text.Length == 0 || type is not (TokenType.Control or TokenType.UserDefined or TokenType.Unknown))
            {
                continue;
            }
            var node = _root;
            foreach (char c in text)
            {
                node.Children ??= [];
                if (!node.Children.TryGetValue(c, out var child))
                {
                    child = new Node();
                    node.Children[c] = child;
                }
                node = child;
            }
            bool special = type != TokenType.UserDefined;
            // Two entries with one text: keep the first id, preferring an always-matched one.
            if (node.TokenId < 0 || (node.IsSpecial && !special))
            {
                node.TokenId = id;
                node.IsSpecial = special;
            }
            first.Add(text[0]);
        }
        _firstChars = SearchValues.Create(first.ToArray());
        HasTokens = first.Count > 0;
    }

    /// <summary>True when the vocabulary has any added token to look for.</summary>
    public bool HasTokens { get; }

    /// <summary>
    /// Splits <paramref name="text"/> into raw-text pieces and added tokens, appended in order to
    /// <paramref name="output"/>.
    /// </summary>
    public void Split(ReadOnlySpan<char> text, bool parseSpecial, List<TextSegment> output)
    {
        int textStart = 0;
        int pos = 0;
        while (HasTokens && pos < text.Length)
        {
            int found = text[pos..].IndexOfAny(_firstChars);
            if (found < 0)
            {
                break;
            }
            pos += found;
            int length = LongestMatch(text[pos..], parseSpecial, out int id);
            if (length == 0)
            {
                pos++;
                continue;
            }
            if (pos > textStart)
            {
                output.Add(new TextSegment(textStart, pos - textStart, -1));
            }
            output.Add(new TextSegment(pos, length, id));
            pos += length;
            textStart = pos;
        }
        if (textStart < text.Length)
        {
            output.Add(new TextSegment(textStart, text.Length - textStart, -1));
        }
    }

    private int LongestMatch(ReadOnlySpan<char> text, bool parseSpecial, out int id)
    {
        id = -1;
        int best = 0;
        var node = _root;
        for (int i = 0; i < text.Length; i++)
        {
            if (node.Children is null || !node.Children.TryGetValue(text[i], out node))
            {
                break;
            }
            if (node.TokenId >= 0 && (parseSpecial || !node.IsSpecial))
            {
                best = i + 1;
                id = node.TokenId;
            }
        }
        return best;
    }

    /// <summary>A piece of the input: raw text (<see cref="TokenId"/> is -1) or one added token.</summary>
    public readonly record struct TextSegment(int Start, int Length, int TokenId)
    {
        public bool IsToken => TokenId >= 0;
    }

    private sealed class Node
    {
        public Dictionary<char, Node>? Children;
        public int TokenId = -1;
        public bool IsSpecial;
    }
}
