using DeepSharp.Formats.Gguf;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Formats;

/// <summary>Malformed and hostile files end in <see cref="GgufFormatException"/> naming what is wrong.</summary>
public sealed class GgufHostileFileTests
{
    private static GgufFormatException Rejects(byte[] bytes, string expectedFragment)
    {
        var e = Assert.Throws<GgufFormatException>(() => GgufFile.FromBytes(bytes).Dispose());
        Assert.Contains(expectedFragment, e.Message, StringComparison.Ordinal);
        Assert.InRange(e.Offset, 0, bytes.Length);
        return e;
    }

    /// <summary>One f32 tensor "t" of 8 elements at data offset 0, after one key.</summary>
    private static RawGguf OneTensorFile(ulong[]? dims = null, uint type = 0, ulong offset = 0, int dataBytes = 32)
    {
        var raw = new RawGguf().Header(tensors: 1, kvs: 1).KvU32("k", 1).Tensor("t", dims ?? [8], type, offset).PadTo(32);
        return raw.Zeros(dataBytes);
    }

    [Fact]
    public void EmptyAndTinyFiles()
    {
        Rejects([], "file ends inside the magic number");
        Rejects([0x47, 0x47], "file ends inside the magic number");
        Rejects("GGUF"u8.ToArray(), "file ends inside the version");
    }

    [Fact]
    public void WrongMagicAndVersions()
    {
        Rejects("GGML\x03\0\0\0"u8.ToArray(), "magic");
        Rejects(new RawGguf().Header(version: 1).ToArray(), "version 1 is not supported");
        Rejects(new RawGguf().Header(version: 0x03000000).ToArray(), "big-endian");
        Rejects(new RawGguf().Header(version: 4).ToArray(), "version 4");
    }

    [Fact]
    public void Version2IsAccepted()
    {
        using var file = GgufFile.FromBytes(new RawGguf().Header(version: 2, kvs: 1).KvU32("a", 5).ToArray());
        Assert.Equal(2, file.Version);
        Assert.Equal(5, file.Metadata.GetInt64("a"));
    }

    [Fact]
    public void TruncationAtEveryByteIsRejected()
    {
        var w = new GgufWriter();
        w.Add("general.architecture", GgufValue.String("llama"));
        w.Add("list", GgufValue.StringArray(["x", "yy"]));
        w.Add("n", GgufValue.UInt64(5));
        w.AddTensor("w", [32, 2], GgmlType.Q8_0, new byte[68]);
        w.AddTensor("v", [4], GgmlType.F32, new byte[16]);
        var stream = new MemoryStream();
        w.WriteTo(stream);
        byte[] full = stream.ToArray();
        using (GgufFile.FromBytes(full))
        {
        }
        // The last tensor ends 16 bytes before the end (then padding); every cut before its end must fail.
        int lastDataByte = full.Length - 16;
        for (int cut = 0; cut < lastDataByte; cut++)
        {
            var e = Assert.Throws<GgufFormatException>(() => GgufFile.FromBytes(full.AsSpan(0, cut)).Dispose());
            Assert.InRange(e.Offset, 0, cut);
        }
    }

    [Fact]
    public void HugeCountsAndLengths()
    {
        Rejects(new RawGguf().Header(kvs: ulong.MaxValue).ToArray(), "negative");
        Rejects(new RawGguf().Header(kvs: 1L << 40).ToArray(), "cannot fit");
        Rejects(new RawGguf().Header(tensors: 1L << 40).ToArray(), "cannot fit");
        Rejects(new RawGguf().Header(kvs: 1).U64(1UL << 50).Zeros(16).ToArray(), "runs past the end");
        Rejects(new RawGguf().Header(kvs: 1).Str("k").U32(8).U64(ulong.MaxValue - 3).ToArray(), "runs past the end");
        // An array claiming billions of elements in a few bytes.
        Rejects(new RawGguf().Header(kvs: 1).Str("k").U32(9).U32(4).U64(1UL << 33).Zeros(8).ToArray(), "cannot fit");
        Rejects(new RawGguf().Header(kvs: 1).Str("k").U32(9).U32(8).U64(1UL << 62).Zeros(8).ToArray(), "cannot fit");
    }

    [Fact]
    public void BadKeysAndValues()
    {
        Rejects(new RawGguf().Header(kvs: 1).Bytes([0x66, 0xFF, 0xFE]).U32(4).U32(1).ToArray(), "not valid UTF-8");
        Rejects(new RawGguf().Header(kvs: 1).Str("").U32(4).U32(1).ToArray(), "empty key");
        Rejects(new RawGguf().Header(kvs: 2).KvU32("a", 1).KvU32("a", 2).ToArray(), "duplicate metadata key 'a'");
        Rejects(new RawGguf().Header(kvs: 1).Str("k").U32(13).U32(1).ToArray(), "unknown value type 13");
        Rejects(new RawGguf().Header(kvs: 1).Str("k").U32(7).U8(2).ToArray(), "not 0 or 1");
        Rejects(new RawGguf().Header(kvs: 1).Str("k").U32(9).U32(9).U64(1).ToArray(), "array of arrays");
        Rejects(new RawGguf().Header(kvs: 1).Str("k").U32(9).U32(77).U64(1).ToArray(), "unknown element type 77");
        Rejects(new RawGguf().Header(kvs: 1).Str("k").U32(8).Bytes([0xC3]).ToArray(), "not valid UTF-8");
    }

    [Fact]
    public void BadAlignment()
    {
        Rejects(new RawGguf().Header(kvs: 1).KvU32("general.alignment", 48).ToArray(), "not a power of two");
        Rejects(new RawGguf().Header(kvs: 1).KvU32("general.alignment", 0).ToArray(), "not a power of two");
        Rejects(new RawGguf().Header(kvs: 1).Str("general.alignment").U32(10).U64(32).ToArray(), "must be UINT32");
        Rejects(OneTensorFile(offset: 8).ToArray(), "not a multiple of the alignment 32");
    }

    [Fact]
    public void BadTensorInfos()
    {
        Rejects(OneTensorFile(dims: []).ToArray(), "0 dimensions");
        Rejects(OneTensorFile(dims: [1, 1, 1, 1, 1]).ToArray(), "5 dimensions");
        Rejects(OneTensorFile(dims: [ulong.MaxValue]).ToArray(), "negative");
        Rejects(OneTensorFile(dims: [1L << 40, 1L << 40]).ToArray(), "overflows 64 bits");
        Rejects(OneTensorFile(dims: [1L << 31, 1L << 31]).ToArray(), "byte size of tensor 't' overflows");
        Rejects(OneTensorFile(type: 4).ToArray(), "unknown ggml type id 4");
        Rejects(OneTensorFile(type: 999).ToArray(), "unknown ggml type id 999");
        Rejects(OneTensorFile(dims: [33], type: (uint)GgmlType.Q4_0).ToArray(), "not a multiple of the Q4_0 block size 32");
        Rejects(new RawGguf().Header(tensors: 1).Tensor(new string('x', 64), [8], 0, 0).PadTo(32).Zeros(32).ToArray(), "exceeds the limit");
        Rejects(new RawGguf().Header(tensors: 1).Tensor("", [8], 0, 0).PadTo(32).Zeros(32).ToArray(), "empty name");
    }

    [Fact]
    public void TensorsOutsideTheFileOrOverlapping()
    {
        Rejects(OneTensorFile(offset: 64).ToArray(), "runs past the end of the file");
        Rejects(OneTensorFile(dataBytes: 31).ToArray(), "runs past the end of the file");
        Rejects(OneTensorFile(offset: 1UL << 62).ToArray(), "runs past the end of the file");
        byte[] overlapping = new RawGguf().Header(tensors: 2)
            .Tensor("a", [16], 0, 0).Tensor("b", [8], 0, 32).PadTo(32).Zeros(96).ToArray();
        Rejects(overlapping, "overlaps tensor 'a'");
        byte[] duplicate = new RawGguf().Header(tensors: 2)
            .Tensor("a", [8], 0, 0).Tensor("a", [8], 0, 32).PadTo(32).Zeros(64).ToArray();
        Rejects(duplicate, "duplicate tensor name 'a'");
    }

    [Fact]
    public void UnsupportedTypesAreNamedAtLoad()
    {
        byte[] bytes = OneTensorFile(dims: [256], type: (uint)GgmlType.IQ2_XXS, dataBytes: 66).ToArray();
        using var file = GgufFile.FromBytes(bytes);
        var e = Assert.Throws<UnsupportedTensorTypeException>(() => file.EnsureTensorTypesSupported(QuantFormats.IsSupported));
        Assert.Equal("unsupported tensor type IQ2_XXS in tensor t", e.Message);
    }
}
