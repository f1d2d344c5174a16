using System.Runtime.InteropServices;

namespace DeepSharp.Compute;

/// <summary>
/// A stable 64-bit hash (FNV-1a over 8-byte words, then the tail bytes) for checksums and identities of files:
/// unlike <see cref="HashCode"/> it is the same in every process. It hashes the byte stream: adding bytes in
/// pieces of any lengths gives the same value as adding them at once (a file written in parts and read whole).
/// </summary>
internal struct ContentHash
{
    private const ulong Prime = 0x100000001B3;
    private ulong _state;
    private ulong _pending;        // bytes of an unfinished word, little-endian
    private int _pendingCount;

    public ContentHash() => _state = 0xCBF29CE484222325;

    /// <summary>The hash of everything added: whole words mixed as words, the bytes of a last partial word one by one.</summary>
    public readonly ulong Value
    {
        get
        {
            ulong h = _state;
            for (int i = 0; i < _pendingCount; i++)
            {
                h = (h ^ (byte)(_pending >> (8 * i))) * Prime;
            }
            return h;
        }
    }

    public void Add(ReadOnlySpan<byte> bytes)
    {
        ulong h = _state;
        // Complete a word left unfinished by the previous piece first, so piece boundaries never matter.
        while (_pendingCount is > 0 and < 8 && !bytes.IsEmpty)
        {
            _pending |= (ulong)bytes[0] << (8 * _pendingCount++);
            bytes = bytes[1..];
        }
        if (_pendingCount == 8)
        {
            h = (h ^ _pending) * Prime;
            _pending = 0;
            _pendingCount = 0;
        }
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        foreach (ulong w in words)
        {
            h = (h ^ w) * Prime;
        }
        for (int i = words.Length * 8; i < bytes.Length; i++)
        {
            _pending |= (ulong)bytes[i] << (8 * _pendingCount++);
        }
        _state = h;
    }

    public void Add(long value) => Add(MemoryMarshal.AsBytes(new ReadOnlySpan<long>(in value)));

    public void Add(string value) => Add(MemoryMarshal.AsBytes(value.AsSpan()));

    public static ulong Of(ReadOnlySpan<byte> bytes)
    {
        var hash = new ContentHash();
        hash.Add(bytes);
        return hash.Value;
    }
}
