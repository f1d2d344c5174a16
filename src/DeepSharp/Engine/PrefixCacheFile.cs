using System.Buffers.Binary;
using System.Text;
using DeepSharp.Compute;

namespace DeepSharp.Engine;

/// <summary>
/// The on-disk form of a kept prefix. Little-endian: magic "DSKV", format version, the model's
/// <see cref="Models.TransformerModel.Fingerprint"/>, KV element type, layer count, per layer its plane count and
/// widths, token count, the token ids, then every plane's rows as stored (layer by layer), and last a
/// <see cref="ContentHash"/> of everything before it. A file that fails any check is refused with the reason.
/// </summary>
internal static class PrefixCacheFile
{
    public const string Extension = ".dskv";
    private const uint Magic = 0x564B5344; // "DSKV"
    private const int Version = 1;

    /// <summary>Writes <paramref name="entry"/> to <paramref name="path"/> (through a temporary file, so a crash leaves no half file).</summary>
    public static void Write(string path, ulong fingerprint, PrefixEntry entry)
    {
        var cache = entry.Cache;
        using var header = new MemoryStream();
        using (var w = new BinaryWriter(header, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Magic);
            w.Write(Version);
            w.Write(fingerprint);
            w.Write((int)cache.Type);
            w.Write(cache.LayerCount);
            for (int l = 0; l < cache.LayerCount; l++)
            {
                var planes = cache.Layer(l);
                w.Write(planes.Count);
                foreach (var p in planes)
                {
                    w.Write(p.Width);
                }
            }
            w.Write(entry.Tokens.Length);
            foreach (int t in entry.Tokens)
            {
                w.Write(t);
            }
        }
        string temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            var hash = new ContentHash();
            var head = header.GetBuffer().AsSpan(0, (int)header.Length);
            hash.Add(head);
            file.Write(head);
            for (int l = 0; l < cache.LayerCount; l++)
            {
                foreach (var p in cache.Layer(l))
                {
                    var rows = p.RowBytes(0, entry.Tokens.Length);
                    hash.Add(rows);
                    file.Write(rows);
                }
            }
            Span<byte> tail = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(tail, hash.Value);
            file.Write(tail);
        }
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Reads the prefix in <paramref name="path"/> if it is intact and made for this model and cache layout; otherwise says why not.</summary>
    public static PrefixEntry? TryRead(string path, ulong fingerprint, KvCacheType type, IReadOnlyList<IReadOnlyList<int>> planeWidths, out string? problem)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problem = $"cannot be read ({e.Message})";
            return null;
        }
        try
        {
            return Parse(bytes, fingerprint, type, planeWidths, out problem);
        }
        catch (Exception e) when (e is EndOfStreamException or ArgumentException or OverflowException or OutOfMemoryException)
        {
            problem = $"is damaged ({e.Message})";
            return null;
        }
    }

    private static PrefixEntry? Parse(byte[] bytes, ulong fingerprint, KvCacheType type, IReadOnlyList<IReadOnlyList<int>> planeWidths, out string? problem)
    {
        if (bytes.Length < 8 + 4 + 4 + 8)
        {
            problem = "is too short";
            return null;
        }
        ulong stored = BinaryPrimitives.ReadUInt64LittleEndian(bytes.AsSpan(bytes.Length - 8));
        if (ContentHash.Of(bytes.AsSpan(0, bytes.Length - 8)) != stored)
        {
            problem = "fails its checksum";
            return null;
        }
        using var r = new BinaryReader(new MemoryStream(bytes, 0, bytes.Length - 8));
        if (r.ReadUInt32() != Magic)
        {
            problem = "is not a DeepSharp prefix cache file";
            return null;
        }
        if (r.ReadInt32() is var version && version != Version)
        {
            problem = $"has format version {version}, not {Version}";
            return null;
        }
        if (r.ReadUInt64() != fingerprint)
        {
            problem = "belongs to another model file";
            return null;
        }
        if ((KvCacheType)r.ReadInt32() != type)
        {
            problem = $"holds another KV cache type than {type}";
            return null;
        }
        int layers = r.ReadInt32();
        if (layers != planeWidths.Count)
        {
            problem = $"has {layers} layers, the model {planeWidths.Count}";
            return null;
        }
        for (int l = 0; l < layers; l++)
        {
            int planes = r.ReadInt32();
            if (planes != planeWidths[l].Count || !Enumerable.Range(0, planes).All(p => r.ReadInt32() == planeWidths[l][p]))
            {
                problem = $"layer {l}'s cache planes differ from the model's";
                return null;
            }
        }
        int count = r.ReadInt32();
        long perPosition = planeWidths.Sum(l => l.Sum(w => (long)w)) * (type == KvCacheType.F16 ? 2 : sizeof(float));
        long expected = r.BaseStream.Position + (long)count * (sizeof(int) + perPosition);
        if (count <= 0 || expected != r.BaseStream.Length)
        {
            problem = $"has {r.BaseStream.Length} bytes where {count} tokens need {expected}";
            return null;
        }
        var cache = new KvCache(count, type, planeWidths);
        var tokens = new int[count];
        for (int i = 0; i < count; i++)
        {
            tokens[i] = r.ReadInt32();
        }
        int offset = (int)r.BaseStream.Position;
        for (int l = 0; l < layers; l++)
        {
            foreach (var p in cache.Layer(l))
            {
                var rows = p.RowBytes(0, count);
                bytes.AsSpan(offset, rows.Length).CopyTo(rows);
                offset += rows.Length;
            }
        }
        problem = null;
        return new PrefixEntry(tokens, cache);
    }
}
