using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using DeepSharp.Quantization;

namespace DeepSharp.Compute;

/// <summary>
/// One per-token vector of one layer's cache (keys, values, or for MLA the latent and the rope key), for every
/// position of the context: <c>[ContextLength, Width]</c>, in F16 or F32.
/// </summary>
public sealed class KvCachePlane
{
    private readonly Half[]? _half;
    private readonly float[]? _single;

    /// <summary>Allocates a plane of <paramref name="contextLength"/> rows of <paramref name="width"/> values.</summary>
    public KvCachePlane(int contextLength, int width, KvCacheType type)
    {
        ContextLength = contextLength;
        Width = width;
        long length = (long)contextLength * width;
        if (length > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(contextLength), $"a KV cache plane of {contextLength} × {width} is too large");
        }
        if (type == KvCacheType.F16)
        {
            _half = new Half[length];
        }
        else
        {
            _single = new float[length];
        }
    }

    /// <summary>Element type.</summary>
    public KvCacheType Type => _half is null ? KvCacheType.F32 : KvCacheType.F16;

    /// <summary>Positions held.</summary>
    public int ContextLength { get; }

    /// <summary>Values per position.</summary>
    public int Width { get; }

    /// <summary>Stores <paramref name="row"/> (<see cref="Width"/> values) at <paramref name="position"/>.</summary>
    public void Write(int position, ReadOnlySpan<float> row)
    {
        CheckPosition(position);
        if (_half is not null)
        {
            TensorPrimitives.ConvertToHalf(row[..Width], _half.AsSpan(position * Width, Width));
        }
        else
        {
            row[..Width].CopyTo(_single.AsSpan(position * Width, Width));
        }
    }

    /// <summary>Copies <paramref name="destination"/>.Length values from <paramref name="position"/>, starting <paramref name="offset"/> into the row.</summary>
    public void Read(int position, int offset, Span<float> destination)
    {
        CheckPosition(position);
        int start = position * Width + offset;
        if (_half is not null)
        {
            Fp16.Widen(MemoryMarshal.Cast<Half, ushort>(_half.AsSpan(start, destination.Length)), destination);
        }
        else
        {
            _single.AsSpan(start, destination.Length).CopyTo(destination);
        }
    }

    /// <summary>
    /// The <paramref name="length"/> values at <paramref name="offset"/> of positions [<paramref name="first"/>,
    /// +<paramref name="count"/>), row p starting at <c>p·stride</c> of the result: an F32 plane is read in place
    /// (<paramref name="stride"/> = <see cref="Width"/>), an F16 plane has just those values widened into
    /// <paramref name="scratch"/> (whole rows in one conversion, else row by row, <paramref name="stride"/> =
    /// <paramref name="length"/>). The attention kernels read the cache through this.
    /// </summary>
    internal ReadOnlySpan<float> ReadRows(int first, int count, int offset, int length, Span<float> scratch, out int stride)
    {
        CheckPosition(first);
        CheckPosition(first + count - 1);
        if (_half is null)
        {
            stride = Width;
            return _single.AsSpan(first * Width + offset, (count - 1) * Width + length);
        }
        stride = length;
        if (offset == 0 && length == Width)
        {
            Fp16.Widen(MemoryMarshal.Cast<Half, ushort>(_half.AsSpan(first * Width, count * Width)), scratch[..(count * Width)]);
            return scratch;
        }
        for (int r = 0; r < count; r++)
        {
            Fp16.Widen(MemoryMarshal.Cast<Half, ushort>(_half.AsSpan((first + r) * Width + offset, length)), scratch.Slice(r * length, length));
        }
        return scratch;
    }

    /// <summary>The dot product of <paramref name="vector"/> with the stored values at <paramref name="position"/>, <paramref name="offset"/>.</summary>
    public float Dot(int position, int offset, ReadOnlySpan<float> vector, Span<float> scratch)
    {
        if (_single is not null)
        {
            CheckPosition(position);
            return TensorPrimitives.Dot(_single.AsSpan(position * Width + offset, vector.Length), vector);
        }
        var row = scratch[..vector.Length];
        Read(position, offset, row);
        return TensorPrimitives.Dot(row, vector);
    }

    /// <summary><paramref name="destination"/> += <paramref name="weight"/> · stored values at <paramref name="position"/>, <paramref name="offset"/>.</summary>
    public void AddScaled(int position, int offset, float weight, Span<float> destination, Span<float> scratch)
    {
        ReadOnlySpan<float> row;
        if (_single is not null)
        {
            CheckPosition(position);
            row = _single.AsSpan(position * Width + offset, destination.Length);
        }
        else
        {
            var s = scratch[..destination.Length];
            Read(position, offset, s);
            row = s;
        }
        TensorPrimitives.MultiplyAdd(row, weight, destination, destination);
    }

    /// <summary>Bytes one position takes.</summary>
    public int BytesPerRow => Width * (_half is null ? sizeof(float) : 2);

    /// <summary>
    /// Copies the stored rows <paramref name="position"/> .. + <paramref name="count"/> to <paramref name="destination"/>
    /// from <paramref name="destinationPosition"/> on, as they are (no conversion: the planes must agree in type and width).
    /// </summary>
    /// <exception cref="ArgumentException">The planes differ in element type or width.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A range does not fit its plane.</exception>
    public void CopyRowsTo(int position, KvCachePlane destination, int destinationPosition, int count)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (destination.Type != Type || destination.Width != Width)
        {
            throw new ArgumentException($"cannot copy {Type} rows of {Width} into {destination.Type} rows of {destination.Width}", nameof(destination));
        }
        CheckRange(position, count);
        destination.CheckRange(destinationPosition, count);
        RowBytes(position, count).CopyTo(destination.RowBytes(destinationPosition, count));
    }

    /// <summary>The raw stored bytes of rows <paramref name="position"/> .. + <paramref name="count"/> (for copying and persistence).</summary>
    internal Span<byte> RowBytes(int position, int count)
    {
        CheckRange(position, count);
        return _half is not null
            ? MemoryMarshal.AsBytes(_half.AsSpan(position * Width, count * Width))
            : MemoryMarshal.AsBytes(_single.AsSpan(position * Width, count * Width));
    }

    private void CheckRange(int position, int count)
    {
        if (position < 0 || count < 0 || position + count > ContextLength)
        {
            throw new ArgumentOutOfRangeException(nameof(position), $"rows {position}..{position + count - 1} do not fit a plane of {ContextLength}");
        }
    }

    private void CheckPosition(int position)
    {
        if ((uint)position >= (uint)ContextLength)
        {
            throw new ArgumentOutOfRangeException(nameof(position), position, $"the cache holds positions 0..{ContextLength - 1}");
        }
    }
}
