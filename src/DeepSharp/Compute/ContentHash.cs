using System.Runtime.InteropServices;

namespace DeepSharp.Compute;

/// <summary>
/// A stable 64-bit hash (FNV-1a over 8-byte words, then the tail bytes) for checksums and identities of files:
/// unlike <see cref="HashCode"/> it is the same in every process.
/// </summary>
internal struct ContentHash
{
    private const ulong Prime = 0x100000001B3;
    private ulong _state;

    public ContentHash() => _state = 0xCBF29CE484222325;

    public readonly ulong Value => _state;

    public void Add(ReadOnlySpan<byte> bytes)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(bytes);
        ulong h = _state;
        foreach (ulong w in words)
        {
            h = (h ^ w) * Prime;
        }
        for (int i = words.Length * 8; i < bytes.Length; i++)
        {
            h = (h ^ bytes[i]) * Prime;
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
