using System.Runtime.InteropServices;
using DeepSharp.Formats.Gguf;

namespace DeepSharp.Tests;

/// <summary>
/// Tensor bytes in native memory, as a file mapping hands them to <c>WeightMatrix</c>, freed together when the test
/// class is disposed.
/// </summary>
internal sealed unsafe class NativeTensors : IDisposable
{
    private readonly List<nint> _allocations = [];

    /// <summary>A native copy of <paramref name="bytes"/>.</summary>
    public TensorBytes Copy(ReadOnlySpan<byte> bytes)
    {
        var tensor = Zeroed(bytes.Length);
        bytes.CopyTo(new Span<byte>((void*)tensor.Pointer, bytes.Length));
        return tensor;
    }

    /// <summary><paramref name="length"/> zero bytes.</summary>
    public TensorBytes Zeroed(long length)
    {
        nint p = (nint)NativeMemory.AllocZeroed((nuint)length);
        _allocations.Add(p);
        return new TensorBytes(p, length);
    }

    public void Dispose()
    {
        foreach (nint p in _allocations)
        {
            NativeMemory.Free((void*)p);
        }
        _allocations.Clear();
    }
}
