namespace DeepSharp.Formats.Gguf;

/// <summary>
/// A read-only view of one tensor's bytes inside a mapped file. The length is a <see cref="long"/>
/// because a single expert tensor can exceed 2 GiB; spans are handed out only for slices that fit.
/// Valid while the owning <see cref="GgufFile"/> is open.
/// </summary>
public readonly unsafe struct TensorBytes
{
    /// <summary>Wraps <paramref name="length"/> bytes at <paramref name="pointer"/>.</summary>
    public TensorBytes(nint pointer, long length)
    {
        Pointer = pointer;
        Length = length;
    }

    /// <summary>Address of the first byte.</summary>
    public nint Pointer { get; }

    /// <summary>Number of bytes.</summary>
    public long Length { get; }

    /// <summary>A span over <paramref name="length"/> bytes starting <paramref name="offset"/> bytes in.</summary>
    public ReadOnlySpan<byte> Slice(long offset, int length)
    {
        if (offset < 0 || length < 0 || offset > Length - length)
        {
            throw new ArgumentOutOfRangeException(nameof(offset), $"slice [{offset}, +{length}) is outside a tensor of {Length} bytes");
        }
        return new ReadOnlySpan<byte>((byte*)Pointer + offset, length);
    }

    /// <summary>A span over the whole tensor; only for tensors under 2 GiB.</summary>
    public ReadOnlySpan<byte> AsSpan() =>
        Length <= int.MaxValue
            ? new ReadOnlySpan<byte>((byte*)Pointer, (int)Length)
            : throw new InvalidOperationException($"tensor of {Length} bytes is too large for one span; use Slice");
}
