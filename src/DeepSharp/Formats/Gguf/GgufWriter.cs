using System.Text;
using DeepSharp.Quantization;

namespace DeepSharp.Formats.Gguf;

/// <summary>
/// Writes GGUF v3 files. Output is deterministic: metadata and tensors appear in the order they were
/// added, padding is zeros, and tensor data is streamed so multi-GB files never sit in memory.
/// </summary>
public sealed class GgufWriter
{
    private readonly List<KeyValuePair<string, GgufValue>> _metadata = [];
    private readonly List<PendingTensor> _tensors = [];
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    /// <summary>Creates a writer whose tensor data is aligned to <paramref name="alignment"/> bytes.</summary>
    public GgufWriter(int alignment = GgufConstants.DefaultAlignment)
    {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(alignment), alignment, "alignment must be a power of two");
        }
        Alignment = alignment;
        if (alignment != GgufConstants.DefaultAlignment)
        {
            Add(GgufConstants.AlignmentKey, GgufValue.UInt32((uint)alignment));
        }
    }

    /// <summary>Alignment of tensor data in bytes.</summary>
    public int Alignment { get; }

    /// <summary>Adds one metadata pair; keys must be unique.</summary>
    public GgufWriter Add(string key, GgufValue value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        if (!_keys.Add(key))
        {
            throw new ArgumentException($"metadata key '{key}' was already added", nameof(key));
        }
        _metadata.Add(new(key, value));
        return this;
    }

    /// <summary>Adds a tensor whose bytes are already in memory.</summary>
    public GgufWriter AddTensor(string name, IReadOnlyList<long> dimensions, GgmlType type, ReadOnlyMemory<byte> data)
    {
        var info = new GgufTensorInfo(name, dimensions, type, 0);
        if (data.Length != info.ByteSize)
        {
            throw new ArgumentException($"tensor '{name}' needs {info.ByteSize} bytes, got {data.Length}", nameof(data));
        }
        return AddTensor(name, dimensions, type, s => s.Write(data.Span));
    }

    /// <summary>Adds a tensor whose bytes a callback streams when the file is written; it must write exactly the tensor's size.</summary>
    public GgufWriter AddTensor(string name, IReadOnlyList<long> dimensions, GgmlType type, Action<Stream> writeData)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(writeData);
        if (Encoding.UTF8.GetByteCount(name) > GgufConstants.MaxTensorNameBytes)
        {
            throw new ArgumentException($"tensor name '{name}' is longer than {GgufConstants.MaxTensorNameBytes} bytes", nameof(name));
        }
        if (dimensions.Count is 0 or > GgufConstants.MaxDimensions)
        {
            throw new ArgumentException($"tensor '{name}' must have 1 to {GgufConstants.MaxDimensions} dimensions", nameof(dimensions));
        }
        var typeInfo = GgmlTypeInfo.Get(type);
        if (dimensions[0] % typeInfo.BlockSize != 0)
        {
            throw new ArgumentException($"tensor '{name}': row length {dimensions[0]} is not a multiple of the {type} block size {typeInfo.BlockSize}", nameof(dimensions));
        }
        if (!_names.Add(name))
        {
            throw new ArgumentException($"tensor '{name}' was already added", nameof(name));
        }
        _tensors.Add(new PendingTensor(new GgufTensorInfo(name, dimensions, type, 0), writeData));
        return this;
    }

    /// <summary>Writes the file to <paramref name="path"/>, replacing it.</summary>
    public void WriteTo(string path)
    {
        using var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20);
        WriteTo(stream);
    }

    /// <summary>Writes the file to a stream.</summary>
    public void WriteTo(Stream stream)
    {
        using var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
        w.Write(GgufConstants.Magic);
        w.Write((uint)GgufConstants.Version);
        w.Write((ulong)_tensors.Count);
        w.Write((ulong)_metadata.Count);
        foreach (var (key, value) in _metadata)
        {
            WriteString(w, key);
            w.Write((uint)value.Type);
            WriteValue(w, value);
        }
        long offset = 0;
        foreach (var t in _tensors)
        {
            WriteString(w, t.Info.Name);
            w.Write((uint)t.Info.Dimensions.Count);
            foreach (long d in t.Info.Dimensions)
            {
                w.Write((ulong)d);
            }
            w.Write((uint)t.Info.Type);
            w.Write((ulong)offset);
            offset = GgufHeaderReader.AlignUp(offset + t.Info.ByteSize, Alignment);
        }
        w.Flush();
        long position = stream.Position;
        if (_tensors.Count > 0)
        {
            WritePadding(stream, position);
        }
        foreach (var t in _tensors)
        {
            long start = stream.Position;
            t.WriteData(stream);
            long written = stream.Position - start;
            if (written != t.Info.ByteSize)
            {
                throw new InvalidOperationException($"tensor '{t.Info.Name}' wrote {written} bytes, expected {t.Info.ByteSize}");
            }
            WritePadding(stream, stream.Position);
        }
        stream.Flush();
    }

    private void WritePadding(Stream stream, long position)
    {
        int pad = (int)(GgufHeaderReader.AlignUp(position, Alignment) - position);
        Span<byte> zeros = stackalloc byte[pad];
        zeros.Clear();
        stream.Write(zeros);
    }

    private static void WriteString(BinaryWriter w, string s)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(s);
        w.Write((ulong)bytes.Length);
        w.Write(bytes);
    }

    private static void WriteValue(BinaryWriter w, GgufValue value)
    {
        if (value.Value is GgufArray array)
        {
            w.Write((uint)array.ElementType);
            w.Write((ulong)array.Count);
            foreach (object element in array.Values)
            {
                WriteScalar(w, element);
            }
            return;
        }
        WriteScalar(w, value.Value);
    }

    private static void WriteScalar(BinaryWriter w, object value)
    {
        switch (value)
        {
            case byte v: w.Write(v); break;
            case sbyte v: w.Write(v); break;
            case ushort v: w.Write(v); break;
            case short v: w.Write(v); break;
            case uint v: w.Write(v); break;
            case int v: w.Write(v); break;
            case float v: w.Write(v); break;
            case bool v: w.Write((byte)(v ? 1 : 0)); break;
            case string v: WriteString(w, v); break;
            case ulong v: w.Write(v); break;
            case long v: w.Write(v); break;
            case double v: w.Write(v); break;
            default: throw new InvalidOperationException($"cannot write a metadata value of CLR type {value.GetType().Name}");
        }
    }

    private sealed record PendingTensor(GgufTensorInfo Info, Action<Stream> WriteData);
}
