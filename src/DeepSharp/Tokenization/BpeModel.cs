using System.Buffers;

namespace DeepSharp.Tokenization;

/// <summary>
/// Byte-level BPE over token ids: a word's UTF-8 bytes start as single-byte tokens, then the adjacent pair
/// with the lowest merge rank (leftmost among equals) is merged until no pair merges. That order is the one
/// of Hugging Face's <c>Word::merge_all</c> and llama.cpp's <c>llm_tokenizer_bpe_session</c>.
/// </summary>
internal sealed class BpeModel
{
    // Words up to this many bytes merge with a scan over a small array; longer ones use a heap.
    internal const int LinearLimit = 128;

    private readonly Vocabulary _vocabulary;
    private readonly MergeTable _merges;
    private readonly int[] _byteToId = new int[256];

    /// <summary>Builds the model; <paramref name="merges"/> are (left, right) token texts in rank order.</summary>
    /// <exception cref="InvalidDataException">A merge names a token the vocabulary lacks.</exception>
    public BpeModel(Vocabulary vocabulary, IReadOnlyList<(string Left, string Right)> merges, bool ignoreMerges)
    {
        _vocabulary = vocabulary;
        IgnoreMerges = ignoreMerges;
        for (int b = 0; b < 256; b++)
        {
            Span<char> one = [ByteLevelEncoding.ToChar((byte)b)];
            _byteToId[b] = vocabulary.TryGetId(one, out int id) ? id : -1;
        }

        _merges = new MergeTable(merges.Count);
        char[] buffer = new char[64];
        for (int rank = 0; rank < merges.Count; rank++)
        {
            var (left, right) = merges[rank];
            if (!vocabulary.TryGetId(left, out int l) || !vocabulary.TryGetId(right, out int r))
            {
                throw new InvalidDataException($"merge {rank} ('{left} {right}') names a token that is not in the vocabulary");
            }
            int length = left.Length + right.Length;
            if (buffer.Length < length)
            {
                buffer = new char[length * 2];
            }
            left.CopyTo(buffer);
            right.CopyTo(buffer.AsSpan(left.Length));
            if (!vocabulary.TryGetId(buffer.AsSpan(0, length), out int merged))
            {
                // Hugging Face rejects such a file; llama.cpp would merge and then fall back to bytes. Neither
                // happens with real vocabularies, so the merge is dropped rather than guessed at.
                continue;
            }
            _merges.TryAdd(l, r, rank, merged);
        }
    }

    /// <summary>Number of usable merges.</summary>
    public int MergeCount => _merges.Count;

    /// <summary>
    /// Llama-3 style: a word that is itself a vocabulary entry becomes that token without merging.
    /// </summary>
    public bool IgnoreMerges { get; }

    /// <summary>Appends the token ids of one word, given as UTF-8 bytes, to <paramref name="output"/>.</summary>
    public void Encode(ReadOnlySpan<byte> word, List<int> output)
    {
        if (word.IsEmpty)
        {
            return;
        }
        if (IgnoreMerges && TryWholeWord(word, out int whole))
        {
            output.Add(whole);
            return;
        }

        int[]? rented = null;
        Span<int> ids = word.Length <= LinearLimit ? stackalloc int[LinearLimit] : (rented = ArrayPool<int>.Shared.Rent(word.Length));
        int n = 0;
        foreach (byte b in word)
        {
            int id = _byteToId[b];
            if (id >= 0)
            {
                ids[n++] = id; // a byte without a token is dropped, as Hugging Face does without an unk token
            }
        }
        n = n <= LinearLimit ? MergeLinear(ids[..n]) : MergeWithHeap(ids[..n]);
        for (int i = 0; i < n; i++)
        {
            output.Add(ids[i]);
        }
        if (rented is not null)
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    /// <summary>Merges in place by repeatedly scanning the pair ranks; returns the number of tokens left.</summary>
    internal int MergeLinear(Span<int> ids)
    {
        int n = ids.Length;
        if (n < 2)
        {
            return n;
        }
        Span<int> ranks = stackalloc int[LinearLimit];
        Span<int> results = stackalloc int[LinearLimit];
        for (int i = 0; i < n - 1; i++)
        {
            ranks[i] = _merges.Rank(ids[i], ids[i + 1], out results[i]);
        }
        while (n > 1)
        {
            int best = -1, bestRank = int.MaxValue;
            for (int i = 0; i < n - 1; i++)
            {
                if (ranks[i] < bestRank)
                {
                    bestRank = ranks[i];
                    best = i;
                }
            }
            if (best < 0)
            {
                break;
            }
            ids[best] = results[best];
            // Remove the right half of the pair: shift everything after it one place left.
            ids[(best + 2)..n].CopyTo(ids[(best + 1)..]);
            int pairsAfter = n - 3 - best; // pairs right of the removed one
            if (pairsAfter > 0)
            {
                ranks.Slice(best + 2, pairsAfter).CopyTo(ranks[(best + 1)..]);
                results.Slice(best + 2, pairsAfter).CopyTo(results[(best + 1)..]);
            }
            n--;
            if (best > 0)
            {
                ranks[best - 1] = _merges.Rank(ids[best - 1], ids[best], out results[best - 1]);
            }
            if (best < n - 1)
            {
                ranks[best] = _merges.Rank(ids[best], ids[best + 1], out results[best]);
            }
        }
        return n;
    }

    /// <summary>
    /// Merges in place with a priority queue of (rank, position) over a linked list of symbols, for long
    /// words where rescanning would be quadratic; returns the number of tokens left.
    /// </summary>
    internal int MergeWithHeap(Span<int> ids)
    {
        int n = ids.Length;
        if (n < 2)
        {
            return n;
        }
        int[] prev = ArrayPool<int>.Shared.Rent(n);
        int[] next = ArrayPool<int>.Shared.Rent(n);
        var heap = new PairHeap(n);
        try
        {
            for (int i = 0; i < n; i++)
            {
                prev[i] = i - 1;
                next[i] = i + 1 < n ? i + 1 : -1;
            }
            for (int i = 0; i < n - 1; i++)
            {
                int rank = _merges.Rank(ids[i], ids[i + 1], out _);
                if (rank != int.MaxValue)
                {
                    heap.Push(rank, i);
                }
            }
            while (heap.TryPop(out int rank, out int pos))
            {
                int right = next[pos];
                if (ids[pos] < 0 || right < 0)
                {
                    continue; // merged away, or now the last symbol
                }
                if (_merges.Rank(ids[pos], ids[right], out int merged) != rank)
                {
                    continue; // stale: one side has changed since this pair was queued
                }
                ids[pos] = merged;
                ids[right] = -1;
                next[pos] = next[right];
                if (next[right] >= 0)
                {
                    prev[next[right]] = pos;
                }
                if (prev[pos] >= 0)
                {
                    int r = _merges.Rank(ids[prev[pos]], merged, out _);
                    if (r != int.MaxValue)
                    {
                        heap.Push(r, prev[pos]);
                    }
                }
                if (next[pos] >= 0)
                {
                    int r = _merges.Rank(merged, ids[next[pos]], out _);
                    if (r != int.MaxValue)
                    {
                        heap.Push(r, pos);
                    }
                }
            }
            int count = 0;
            for (int i = 0; i >= 0; i = next[i])
            {
                ids[count++] = ids[i];
            }
            return count;
        }
        finally
        {
            ArrayPool<int>.Shared.Return(prev);
            ArrayPool<int>.Shared.Return(next);
            heap.Dispose();
        }
    }

    private bool TryWholeWord(ReadOnlySpan<byte> word, out int id)
    {
        char[]? rented = null;
        Span<char> chars = word.Length <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(word.Length));
        ByteLevelEncoding.Encode(word, chars);
        bool found = _vocabulary.TryGetId(chars[..word.Length], out id);
        if (rented is not null)
        {
            ArrayPool<char>.Shared.Return(rented);
        }
        return found;
    }

    /// <summary>A binary min-heap of (rank, position) packed in longs: lower rank first, then leftmost.</summary>
    private struct PairHeap(int capacity) : IDisposable
    {
        private long[] _items = ArrayPool<long>.Shared.Rent(Math.Max(capacity, 4));
        private int _count;

        public void Push(int rank, int pos)
        {
            if (_count == _items.Length)
            {
                var bigger = ArrayPool<long>.Shared.Rent(_items.Length * 2);
                _items.AsSpan(0, _count).CopyTo(bigger);
                ArrayPool<long>.Shared.Return(_items);
                _items = bigger;
            }
            long item = ((long)rank << 32) | (uint)pos;
            int i = _count++;
            while (i > 0)
            {
                int parent = (i - 1) >> 1;
                if (_items[parent] <= item)
                {
                    break;
                }
                _items[i] = _items[parent];
                i = parent;
            }
            _items[i] = item;
        }

        public bool TryPop(out int rank, out int pos)
        {
            if (_count == 0)
            {
                rank = pos = 0;
                return false;
            }
            long top = _items[0];
            long last = _items[--_count];
            int i = 0;
            while (true)
            {
                int child = 2 * i + 1;
                if (child >= _count)
                {
                    break;
                }
                if (child + 1 < _count && _items[child + 1] < _items[child])
                {
                    child++;
                }
                if (last <= _items[child])
                {
                    break;
                }
                _items[i] = _items[child];
                i = child;
            }
            _items[i] = last;
            rank = (int)(top >> 32);
            pos = (int)top;
            return true;
        }

        public void Dispose() => ArrayPool<long>.Shared.Return(_items);
    }
}
