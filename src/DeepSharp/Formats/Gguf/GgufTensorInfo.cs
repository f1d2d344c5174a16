using DeepSharp.Quantization;

namespace DeepSharp.Formats.Gguf;

/// <summary>
/// Where one tensor lives and what it is. <see cref="Dimensions"/> follows ggml order: element 0 is the
/// contiguous (fastest-varying) axis, so a weight matrix is {columns, rows}.
/// </summary>
public sealed class GgufTensorInfo
{
    /// <summary>Creates a tensor description; sizes are computed from the type and dimensions.</summary>
    public GgufTensorInfo(string name, IReadOnlyList<long> dimensions, GgmlType type, long offset)
    {
        Name = name;
        Dimensions = dimensions.ToArray();
        Type = type;
        Offset = offset;
        var info = GgmlTypeInfo.Get(type);
        long elements = 1;
        foreach (long d in Dimensions)
        {
            elements = checked(elements * d);
        }
        ElementCount = elements;
        RowLength = Dimensions.Count > 0 ? Dimensions[0] : 1;
        RowCount = RowLength == 0 ? 0 : elements / RowLength;
        RowBytes = info.RowBytes(RowLength);
        ByteSize = checked(RowBytes * RowCount);
    }

    /// <summary>Tensor name, e.g. <c>blk.0.attn_q.weight</c>.</summary>
    public string Name { get; }

    /// <summary>Dimensions in ggml order (innermost first), 1 to 4 of them.</summary>
    public IReadOnlyList<long> Dimensions { get; }

    /// <summary>Element type.</summary>
    public GgmlType Type { get; }

    /// <summary>Offset of the first byte relative to the start of the data section.</summary>
    public long Offset { get; }

    /// <summary>Total number of elements.</summary>
    public long ElementCount { get; }

    /// <summary>Elements per row (dimension 0).</summary>
    public long RowLength { get; }

    /// <summary>Rows: the product of all dimensions after the first.</summary>
    public long RowCount { get; }

    /// <summary>Bytes per row.</summary>
    public long RowBytes { get; }

    /// <summary>Bytes of the whole tensor.</summary>
    public long ByteSize { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} {Type} [{string.Join(", ", Dimensions)}]";
}
