namespace DeepSharp.Compute;

/// <summary>
/// Named scratch buffers that grow on demand and are reused by every forward pass, so steady-state decoding
/// allocates nothing. One per session; not thread-safe. A buffer's contents are undefined when handed out.
/// </summary>
public sealed class Workspace
{
    private readonly Dictionary<string, float[]> _buffers = new(StringComparer.Ordinal);

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
}
