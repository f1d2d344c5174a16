using System.Buffers.Binary;
using System.Text;

namespace DeepSharp.Formats.Gguf;

/// <summary>
/// A bounds-checked little-endian reader over the mapped bytes of a GGUF file. Every read checks the
/// remaining length first, so a truncated or lying file ends in a <see cref="GgufFormatException"/>.
/// </summary>
internal unsafe sealed class GgufCursor
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private readonly byte* _base;

    public GgufCursor(byte* data, long length)
    {
        _base = data;
        Length = length;
    }

    public long Length { get; }

    public long Position { get; private set; }

    public long Remaining => Length - Position;

    public GgufFormatException Error(string problem) => new(Position, problem);

    public GgufFormatException Error(long offset, string problem) => new(offset, problem);

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (Remaining < count)
        {
            throw Error($"file ends inside {what} ({Remaining} bytes left, {count} needed)");
        }
        var span = new ReadOnlySpan<byte>(_base + Position, count);
        Position += count;
        return span;
    }

    public byte ReadByte(string what) => Take(1, what)[0];

    public ushort ReadUInt16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, what));

    public uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

    public ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    public float ReadSingle(string what) => BinaryPrimitives.ReadSingleLittleEndian(Take(4, what));

    public double ReadDouble(string what) => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, what));

    /// <summary>Reads a u64 count and checks it as a non-negative value that <paramref name="minBytesEach"/> bytes per item could fit in the rest of the file.</summary>
    public long ReadCount(string what, long minBytesEach)
    {
        long at = Position;
        ulong raw = ReadUInt64(what);
        if (raw > long.MaxValue)
        {
            throw Error(at, $"{what} {raw} is negative as a signed 64-bit count");
        }
        long count = (long)raw;
        if (minBytesEach > 0 && count > Remaining / minBytesEach)
        {
            throw Error(at, $"{what} {count} cannot fit in the {Remaining} bytes that remain");
        }
        return count;
    }

    /// <summary>Reads a GGUF string: u64 byte length then strict UTF-8.</summary>
    public string ReadString(string what, int maxBytes = int.MaxValue)
    {
        long at = Position;
        ulong raw = ReadUInt64($"length of {what}");
        if (raw > (ulong)Remaining)
        {
            throw Error(at, $"length {raw} of {what} runs past the end of the file ({Remaining} bytes left)");
        }
        if (raw > (ulong)maxBytes)
        {
            throw Error(at, $"length {raw} of {what} exceeds the limit of {maxBytes} bytes");
        }
        var bytes = Take((int)raw, what);
        try
        {
            return s_strictUtf8.GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            throw Error(at + 8, $"{what} is not valid UTF-8");
        }
    }

    public void Seek(long position) => Position = position;
}
