using System.Text;

namespace DeepSharp.Tests.Formats;

/// <summary>
/// Writes GGUF bytes field by field, with no validation, so tests can build the malformed files that the real
/// writer refuses to produce.
/// </summary>
internal sealed class RawGguf
{
    private readonly MemoryStream _stream = new();
    private readonly BinaryWriter _w;

    public RawGguf() => _w = new BinaryWriter(_stream);

    public long Position => _stream.Position;

    public RawGguf Header(uint version = 3, ulong tensors = 0, ulong kvs = 0)
    {
        _w.Write(0x46554747u);
        _w.Write(version);
        _w.Write(tensors);
        _w.Write(kvs);
        return this;
    }

    public RawGguf U8(byte v) { _w.Write(v); return this; }

    public RawGguf U32(uint v) { _w.Write(v); return this; }

    public RawGguf U64(ulong v) { _w.Write(v); return this; }

    public RawGguf Str(string s) => Bytes(Encoding.UTF8.GetBytes(s));

    public RawGguf Bytes(byte[] raw)
    {
        _w.Write((ulong)raw.Length);
        _w.Write(raw);
        return this;
    }

    /// <summary>A key/value pair holding a UINT32.</summary>
    public RawGguf KvU32(string key, uint value) => Str(key).U32(4).U32(value);

    /// <summary>A tensor info record.</summary>
    public RawGguf Tensor(string name, ulong[] dims, uint type, ulong offset)
    {
        Str(name).U32((uint)dims.Length);
        foreach (ulong d in dims)
        {
            U64(d);
        }
        return U32(type).U64(offset);
    }

    public RawGguf PadTo(int alignment)
    {
        while (_stream.Position % alignment != 0)
        {
            _w.Write((byte)0);
        }
        return this;
    }

    public RawGguf Zeros(int count)
    {
        _w.Write(new byte[count]);
        return this;
    }

    public byte[] ToArray() => _stream.ToArray();
}
