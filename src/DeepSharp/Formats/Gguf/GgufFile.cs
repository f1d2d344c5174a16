using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using DeepSharp.Quantization;

namespace DeepSharp.Formats.Gguf;

/// <summary>
/// An open GGUF file: validated metadata and tensor infos, with tensor bytes read in place from a memory
/// mapping (no copies). Tensor data stays valid until the file is disposed.
/// </summary>
public sealed unsafe class GgufFile : IDisposable
{
    private readonly IDisposable _owner;
    private readonly byte* _base;
    private readonly Dictionary<string, GgufTensorInfo> _tensorsByName;
    private bool _disposed;

    private GgufFile(IDisposable owner, byte* data, long length, GgufHeader header, string? path)
    {
        _owner = owner;
        _base = data;
        FileLength = length;
        Path = path;
        Version = header.Version;
        Alignment = header.Alignment;
        DataOffset = header.DataOffset;
        Metadata = header.Metadata;
        Tensors = header.Tensors;
        _tensorsByName = header.Tensors.ToDictionary(t => t.Name, StringComparer.Ordinal);
    }

    /// <summary>The path the file was opened from, or null for in-memory data.</summary>
    public string? Path { get; }

    /// <summary>GGUF version (2 or 3).</summary>
    public int Version { get; }

    /// <summary>Alignment of tensor data in bytes.</summary>
    public int Alignment { get; }

    /// <summary>Absolute offset of the tensor data section.</summary>
    public long DataOffset { get; }

    /// <summary>Length of the file in bytes.</summary>
    public long FileLength { get; }

    /// <summary>Key/value metadata in file order.</summary>
    public GgufMetadata Metadata { get; }

    /// <summary>Tensor infos in file order.</summary>
    public IReadOnlyList<GgufTensorInfo> Tensors { get; }

    /// <summary>
    /// Opens and validates a GGUF file, mapping it into memory read-only.
    /// </summary>
    /// <exception cref="GgufFormatException">The file is not a valid GGUF file; the message names the offset.</exception>
    public static GgufFile Open(string path)
    {
        long length = new FileInfo(path).Length;
        if (length == 0)
        {
            throw new GgufFormatException(0, "the file is empty");
        }
        var mapped = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        try
        {
            view = mapped.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* pointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
            pointer += view.PointerOffset;
            var owner = new MappingOwner(mapped, view);
            try
            {
                var header = GgufHeaderReader.Read(pointer, length);
                return new GgufFile(owner, pointer, length, header, System.IO.Path.GetFullPath(path));
            }
            catch
            {
                owner.Dispose();
                throw;
            }
        }
        catch when (view is null)
        {
            mapped.Dispose();
            throw;
        }
    }

    /// <summary>Parses and validates GGUF bytes held in memory (copied to native memory first).</summary>
    /// <exception cref="GgufFormatException">The bytes are not a valid GGUF file.</exception>
    public static GgufFile FromBytes(ReadOnlySpan<byte> bytes)
    {
        var owner = new NativeCopy(bytes);
        try
        {
            var header = GgufHeaderReader.Read(owner.Pointer, bytes.Length);
            return new GgufFile(owner, owner.Pointer, bytes.Length, header, path: null);
        }
        catch
        {
            owner.Dispose();
            throw;
        }
    }

    /// <summary>Finds a tensor by name.</summary>
    public bool TryGetTensor(string name, out GgufTensorInfo tensor) => _tensorsByName.TryGetValue(name, out tensor!);

    /// <summary>The tensor of this name, which must exist.</summary>
    public GgufTensorInfo GetTensor(string name) =>
        _tensorsByName.TryGetValue(name, out var t) ? t : throw new KeyNotFoundException($"tensor '{name}' is not in the file");

    /// <summary>The bytes of a tensor of this file, as a view into the mapping.</summary>
    public TensorBytes GetBytes(GgufTensorInfo tensor)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_tensorsByName.TryGetValue(tensor.Name, out var own) || !ReferenceEquals(own, tensor))
        {
            throw new ArgumentException($"tensor '{tensor.Name}' does not belong to this file", nameof(tensor));
        }
        return new TensorBytes((nint)(_base + DataOffset + tensor.Offset), tensor.ByteSize);
    }

    /// <summary>Throws <see cref="UnsupportedTensorTypeException"/> for the first tensor whose type DeepSharp cannot compute with.</summary>
    public void EnsureTensorTypesSupported(Func<GgmlType, bool> isSupported)
    {
        foreach (var t in Tensors)
        {
            if (!isSupported(t.Type))
            {
                throw new UnsupportedTensorTypeException(t.Type, t.Name);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (!_disposed)
        {
            _disposed = true;
            _owner.Dispose();
        }
    }

    private sealed class MappingOwner(MemoryMappedFile file, MemoryMappedViewAccessor view) : IDisposable
    {
        public void Dispose()
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
            view.Dispose();
            file.Dispose();
        }
    }

    private sealed class NativeCopy : IDisposable
    {
        public NativeCopy(ReadOnlySpan<byte> bytes)
        {
            Pointer = (byte*)NativeMemory.AlignedAlloc((nuint)Math.Max(bytes.Length, 1), 64);
            bytes.CopyTo(new Span<byte>(Pointer, bytes.Length));
        }

        public byte* Pointer { get; private set; }

        public void Dispose()
        {
            if (Pointer != null)
            {
                NativeMemory.AlignedFree(Pointer);
                Pointer = null;
            }
        }
    }
}
