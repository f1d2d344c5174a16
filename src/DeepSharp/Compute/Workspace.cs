namespace DeepSharp.Compute;

/// <summary>
/// Named scratch buffers that grow on demand and are reused by every forward pass, so steady-state decoding
/// allocates nothing. One per session; not thread-safe. A buffer's contents are undefined when handed out.
/// </summary>
public sealed class Workspace
{
    private readonly Dictionary<string, float[]> _buffers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, KvCachePlane> _planes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int[]> _integers = new(StringComparer.Ordinal);

    /// <summary>The buffer called <paramref name="name"/>, at least <paramref name="length"/> long, as a span of exactly that length.</summary>
    public Span<float> Get(string name, int length)
    {
        if (!_buffers.TryGetValue(name, out var buffer) || buffer.Length < length)
        {
            buffer = new float[length];
            _buffers[name] = buffer;
        }
        return buffer.AsSpan(0, length);
    }

    /// <summary>The integer buffer called <paramref name="name"/>, at least <paramref name="length"/> long, as a span of exactly that length.</summary>
    public Span<int> GetIntegers(string name, int length)
    {
        if (!_integers.TryGetValue(name, out var buffer) || buffer.Length < length)
        {
            buffer = new int[length];
            _integers[name] = buffer;
        }
        return buffer.AsSpan(0, length);
    }

    /// <summary>
    /// An F32 plane called <paramref name="name"/> of <paramref name="width"/> values per row and at least
    /// <paramref name="rows"/> rows (grown geometrically), for attention over vectors that are not cached.
    /// </summary>
    public KvCachePlane Plane(string name, int rows, int width)
    {
        if (!_planes.TryGetValue(name, out var plane) || plane.Width != width || plane.ContextLength < rows)
        {
            int capacity = plane is not null && plane.Width == width ? Math.Max(rows, plane.ContextLength * 2) : rows;
            plane = new KvCachePlane(capacity, width, KvCacheType.F32);
            _planes[name] = plane;
        }
        return plane;
    }
}
