using System.Numerics;
using DeepSharp.Quantization;

namespace DeepSharp.Formats.Gguf;

/// <summary>
/// Parses and validates everything up to the tensor data. Nothing read from the file is trusted:
/// counts are checked against the bytes left before anything is allocated, sizes are computed with
/// overflow checks, and tensors must lie inside the file without overlapping.
/// </summary>
internal static unsafe class GgufHeaderReader
{
    // Smallest encodings, used to bound counts before allocating: a key/value needs an 8-byte key length,
    // one key byte, a 4-byte type and at least one value byte; a tensor info needs name length, n_dims,
    // one dimension, type and offset.
    private const long MinKeyValueBytes = 8 + 1 + 4 + 1;
    private const long MinTensorInfoBytes = 8 + 1 + 4 + 8 + 4 + 8;

    public static GgufHeader Read(byte* data, long length)
    {
        var c = new GgufCursor(data, length);
        uint magic = c.ReadUInt32("the magic number");
        if (magic != GgufConstants.Magic)
        {
            throw c.Error(0, $"magic is 0x{magic:X8}, not 'GGUF'");
        }
        uint version = c.ReadUInt32("the version");
        if (version is not (2 or 3))
        {
            string hint = (version & 0xFFFF) == 0 ? " (the file may be big-endian)" : "";
            throw c.Error(4, $"version {version} is not supported (2 and 3 are){hint}");
        }
        long tensorCount = c.ReadCount("tensor count", 0);
        long kvCount = c.ReadCount("metadata key/value count", MinKeyValueBytes);
        if (tensorCount > c.Remaining / MinTensorInfoBytes)
        {
            throw c.Error(8, $"tensor count {tensorCount} cannot fit in the {c.Remaining} bytes that remain");
        }

        var metadata = ReadMetadata(c, kvCount);
        int alignment = ReadAlignment(c, metadata);
        var (tensors, infosEnd) = ReadTensorInfos(c, tensorCount, alignment);
        long dataOffset = AlignUp(infosEnd, alignment);
        if (tensors.Count > 0 && dataOffset > length)
        {
            throw c.Error(infosEnd, $"the tensor data section would start at {dataOffset}, past the end of the {length}-byte file");
        }
        CheckTensorPlacement(c, tensors, dataOffset, length);
        return new GgufHeader((int)version, alignment, dataOffset, metadata, tensors);
    }

    private static GgufMetadata ReadMetadata(GgufCursor c, long count)
    {
        var pairs = new List<KeyValuePair<string, GgufValue>>((int)Math.Min(count, 4096));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < count; i++)
        {
            long at = c.Position;
            string key = c.ReadString($"key of metadata entry {i}", GgufConstants.MaxKeyBytes);
            if (key.Length == 0)
            {
                throw c.Error(at, $"metadata entry {i} has an empty key");
            }
            if (!seen.Add(key))
            {
                throw c.Error(at, $"duplicate metadata key '{key}'");
            }
            pairs.Add(new(key, ReadValue(c, key)));
        }
        return new GgufMetadata(pairs);
    }

    private static GgufValue ReadValue(GgufCursor c, string key)
    {
        long at = c.Position;
        var type = (GgufValueType)c.ReadUInt32($"type of '{key}'");
        if (type == GgufValueType.Array)
        {
            return GgufValue.Array(ReadArray(c, key));
        }
        if (!Enum.IsDefined(type))
        {
            throw c.Error(at, $"metadata key '{key}' has unknown value type {(uint)type}");
        }
        return ReadScalar(c, type, key);
    }

    private static GgufArray ReadArray(GgufCursor c, string key)
    {
        long at = c.Position;
        var elementType = (GgufValueType)c.ReadUInt32($"element type of '{key}'");
        if (elementType == GgufValueType.Array)
        {
            throw c.Error(at, $"metadata key '{key}' is an array of arrays, which is not supported");
        }
        if (!Enum.IsDefined(elementType))
        {
            throw c.Error(at, $"metadata array '{key}' has unknown element type {(uint)elementType}");
        }
        long count = c.ReadCount($"element count of '{key}'", MinScalarBytes(elementType));
        if (count > int.MaxValue)
        {
            throw c.Error(at + 4, $"metadata array '{key}' has {count} elements, more than an array can hold");
        }
        Array values = elementType switch
        {
            GgufValueType.UInt8 => Fill<byte>(c, elementType, key, (int)count),
            GgufValueType.Int8 => Fill<sbyte>(c, elementType, key, (int)count),
            GgufValueType.UInt16 => Fill<ushort>(c, elementType, key, (int)count),
            GgufValueType.Int16 => Fill<short>(c, elementType, key, (int)count),
            GgufValueType.UInt32 => Fill<uint>(c, elementType, key, (int)count),
            GgufValueType.Int32 => Fill<int>(c, elementType, key, (int)count),
            GgufValueType.Float32 => Fill<float>(c, elementType, key, (int)count),
            GgufValueType.Bool => Fill<bool>(c, elementType, key, (int)count),
            GgufValueType.String => Fill<string>(c, elementType, key, (int)count),
            GgufValueType.UInt64 => Fill<ulong>(c, elementType, key, (int)count),
            GgufValueType.Int64 => Fill<long>(c, elementType, key, (int)count),
            _ => Fill<double>(c, elementType, key, (int)count),
        };
        return new GgufArray(elementType, values);
    }

    private static T[] Fill<T>(GgufCursor c, GgufValueType elementType, string key, int count)
    {
        var values = new T[count];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = (T)ReadScalar(c, elementType, key).Value;
        }
        return values;
    }

    private static long MinScalarBytes(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.Bool => 1,
        GgufValueType.UInt16 or GgufValueType.Int16 => 2,
        GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.Float32 => 4,
        _ => 8, // 64-bit scalars, and a string's length prefix
    };

    private static GgufValue ReadScalar(GgufCursor c, GgufValueType type, string key)
    {
        string what = $"value of '{key}'";
        switch (type)
        {
            case GgufValueType.UInt8: return GgufValue.UInt8(c.ReadByte(what));
            case GgufValueType.Int8: return GgufValue.Int8((sbyte)c.ReadByte(what));
            case GgufValueType.UInt16: return GgufValue.UInt16(c.ReadUInt16(what));
            case GgufValueType.Int16: return GgufValue.Int16((short)c.ReadUInt16(what));
            case GgufValueType.UInt32: return GgufValue.UInt32(c.ReadUInt32(what));
            case GgufValueType.Int32: return GgufValue.Int32((int)c.ReadUInt32(what));
            case GgufValueType.Float32: return GgufValue.Float32(c.ReadSingle(what));
            case GgufValueType.UInt64: return GgufValue.UInt64(c.ReadUInt64(what));
            case GgufValueType.Int64: return GgufValue.Int64((long)c.ReadUInt64(what));
            case GgufValueType.Float64: return GgufValue.Float64(c.ReadDouble(what));
            case GgufValueType.String: return GgufValue.String(c.ReadString(what));
            case GgufValueType.Bool:
                long at = c.Position;
                byte b = c.ReadByte(what);
                return b <= 1 ? GgufValue.Bool(b == 1) : throw c.Error(at, $"bool {what} is {b}, not 0 or 1");
            default:
                throw c.Error($"metadata key '{key}' has unknown value type {(uint)type}");
        }
    }

    private static int ReadAlignment(GgufCursor c, GgufMetadata metadata)
    {
        if (!metadata.TryGetValue(GgufConstants.AlignmentKey, out var value))
        {
            return GgufConstants.DefaultAlignment;
        }
        if (value.Value is not uint alignment)
        {
            throw c.Error($"'{GgufConstants.AlignmentKey}' must be UINT32, not {value.Type}");
        }
        if (alignment == 0 || !BitOperations.IsPow2(alignment) || alignment > 1 << 24)
        {
            throw c.Error($"'{GgufConstants.AlignmentKey}' is {alignment}, not a power of two up to 16 MiB");
        }
        return (int)alignment;
    }

    private static (List<GgufTensorInfo> Tensors, long End) ReadTensorInfos(GgufCursor c, long count, int alignment)
    {
        var tensors = new List<GgufTensorInfo>((int)count);
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (long i = 0; i < count; i++)
        {
            long at = c.Position;
            string name = c.ReadString($"name of tensor {i}", GgufConstants.MaxTensorNameBytes);
            if (name.Length == 0)
            {
                throw c.Error(at, $"tensor {i} has an empty name");
            }
            if (!names.Add(name))
            {
                throw c.Error(at, $"duplicate tensor name '{name}'");
            }
            long dimsAt = c.Position;
            uint nDims = c.ReadUInt32($"dimension count of tensor '{name}'");
            if (nDims is 0 or > GgufConstants.MaxDimensions)
            {
                throw c.Error(dimsAt, $"tensor '{name}' has {nDims} dimensions (1 to {GgufConstants.MaxDimensions} allowed)");
            }
            var dims = new long[nDims];
            long elements = 1;
            for (int d = 0; d < nDims; d++)
            {
                long dimAt = c.Position;
                ulong raw = c.ReadUInt64($"dimension {d} of tensor '{name}'");
                if (raw > long.MaxValue)
                {
                    throw c.Error(dimAt, $"dimension {d} of tensor '{name}' is negative");
                }
                dims[d] = (long)raw;
                if (dims[d] != 0 && elements > long.MaxValue / dims[d])
                {
                    throw c.Error(dimAt, $"the element count of tensor '{name}' overflows 64 bits");
                }
                elements *= dims[d];
            }
            long typeAt = c.Position;
            var type = (GgmlType)c.ReadUInt32($"type of tensor '{name}'");
            if (!GgmlTypeInfo.TryGet(type, out var typeInfo))
            {
                throw c.Error(typeAt, $"tensor '{name}' has unknown ggml type id {(uint)type}");
            }
            if (dims[0] % typeInfo.BlockSize != 0)
            {
                throw c.Error(dimsAt, $"tensor '{name}' has a row of {dims[0]} elements, not a multiple of the {type} block size {typeInfo.BlockSize}");
            }
            long blocks = elements / typeInfo.BlockSize;
            if (blocks > long.MaxValue / typeInfo.BlockBytes)
            {
                throw c.Error(dimsAt, $"the byte size of tensor '{name}' overflows 64 bits");
            }
            long offsetAt = c.Position;
            ulong offset = c.ReadUInt64($"data offset of tensor '{name}'");
            if (offset > long.MaxValue || (long)offset % alignment != 0)
            {
                throw c.Error(offsetAt, $"tensor '{name}' has data offset {offset}, not a multiple of the alignment {alignment}");
            }
            tensors.Add(new GgufTensorInfo(name, dims, type, (long)offset));
        }
        return (tensors, c.Position);
    }

    private static void CheckTensorPlacement(GgufCursor c, List<GgufTensorInfo> tensors, long dataOffset, long length)
    {
        long dataLength = length - dataOffset;
        foreach (var t in tensors)
        {
            if (t.Offset > dataLength || t.ByteSize > dataLength - t.Offset)
            {
                throw c.Error(dataOffset + Math.Min(t.Offset, dataLength),
                    $"tensor '{t.Name}' ({t.ByteSize} bytes at data offset {t.Offset}) runs past the end of the file");
            }
        }
        var byStart = tensors.Where(t => t.ByteSize > 0).OrderBy(t => t.Offset).ToList();
        for (int i = 1; i < byStart.Count; i++)
        {
            var previous = byStart[i - 1];
            if (byStart[i].Offset < previous.Offset + previous.ByteSize)
            {
                throw c.Error(dataOffset + byStart[i].Offset, $"tensor '{byStart[i].Name}' overlaps tensor '{previous.Name}'");
            }
        }
    }

    internal static long AlignUp(long value, int alignment) => (value + alignment - 1) / alignment * alignment;
}
