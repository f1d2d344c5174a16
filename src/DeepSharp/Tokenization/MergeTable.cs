using System.Numerics;
using System.Runtime.CompilerServices;

namespace DeepSharp.Tokenization;

/// <summary>
/// BPE merge ranks keyed by the pair of token ids: an open-addressing hash table (linear probing, load
/// factor at most 1/2) so a lookup is one multiply and, usually, one cache line, with no strings involved.
/// </summary>
internal sealed class MergeTable
{
    private readonly long[] _keys;   // (left << 32) | right, or -1 for an empty slot
    private readonly long[] _values; // (rank << 32) | merged id
    private readonly int _shift;
    private readonly int _mask;

    public MergeTable(int capacityHint)
    {
        int size = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, capacityHint * 2));
        _keys = new long[size];
        _values = new long[size];
        Array.Fill(_keys, -1L);
        _shift = 64 - BitOperations.Log2((uint)size);
        _mask = size - 1;
    }

    /// <summary>Number of merges held.</summary>
    public int Count { get; private set; }

    /// <summary>Adds a merge; an existing pair keeps its first (best) rank, as in a merges list read in order.</summary>
    public bool TryAdd(int left, int right, int rank, int merged)
    {
        if (Count * 2 >= _keys.Length)
        {
            throw new InvalidOperationException("merge table is full");
        }
        long key = ((long)left << 32) | (uint)right;
        int i = Slot(key);
        while (_keys[i] != -1)
        {
            if (_keys[i] == key)
            {
                return false;
            }
            i = (i + 1) & _mask;
        }
        _keys[i] = key;
        _values[i] = ((long)rank << 32) | (uint)merged;
        Count++;
        return true;
    }

    /// <summary>The rank of merging <paramref name="left"/> with <paramref name="right"/>, or <see cref="int.MaxValue"/> when they do not merge.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public int Rank(int left, int right, out int merged)
    {
        long key = ((long)left << 32) | (uint)right;
        int i = Slot(key);
        while (true)
        {
            long k = _keys[i];
            if (k == key)
            {
                long v = _values[i];
                merged = (int)v;
                return (int)(v >> 32);
            }
            if (k == -1)
            {
                merged = -1;
                return int.MaxValue;
            }
            i = (i + 1) & _mask;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int Slot(long key) => (int)(((ulong)key * 0x9E3779B97F4A7C15UL) >> _shift);
}
