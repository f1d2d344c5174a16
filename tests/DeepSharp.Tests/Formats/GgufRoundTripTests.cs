using System.Security.Cryptography;
using DeepSharp.Formats.Gguf;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Formats;

public sealed class GgufRoundTripTests
{
    private static GgufWriter BuildSample(int alignment, out Dictionary<string, byte[]> data)
    {
        var w = new GgufWriter(alignment);
        w.Add("general.architecture", GgufValue.String("llama"));
        w.Add("u8", GgufValue.UInt8(200));
        w.Add("i8", GgufValue.Int8(-100));
        w.Add("u16", GgufValue.UInt16(60000));
        w.Add("i16", GgufValue.Int16(-30000));
        w.Add("u32", GgufValue.UInt32(4_000_000_000));
        w.Add("i32", GgufValue.Int32(-2_000_000_000));
        w.Add("f32", GgufValue.Float32(3.25f));
        w.Add("bool", GgufValue.Bool(true));
        w.Add("string", GgufValue.String("DeepSeek <｜User｜> 你好 😀"));
        w.Add("u64", GgufValue.UInt64(ulong.MaxValue));
        w.Add("i64", GgufValue.Int64(long.MinValue));
        w.Add("f64", GgufValue.Float64(Math.PI));
        w.Add("strings", GgufValue.StringArray(["a", "", "Ġthe", "😀"]));
        w.Add("ints", GgufValue.Int32Array([1, -2, 3]));
        w.Add("floats", GgufValue.Float32Array([0.5f, -1.5f]));
        w.Add("bools", GgufValue.Array(new GgufArray(GgufValueType.Bool, new[] { true, false })));
        w.Add("u64s", GgufValue.Array(new GgufArray(GgufValueType.UInt64, new ulong[] { 1, ulong.MaxValue })));
        data = [];
        var rng = new Random(7);
        foreach (var (name, dims, type) in new (string, long[], GgmlType)[]
                 {
                     ("a.weight", [64, 3], GgmlType.F32),
                     ("b.weight", [256, 2], GgmlType.Q4_K),
                     ("c.weight", [32, 5, 2], GgmlType.Q8_0),
                     ("d.bias", [7], GgmlType.F16),
                 })
        {
            var bytes = new byte[new GgufTensorInfo(name, dims, type, 0).ByteSize];
            rng.NextBytes(bytes);
            data[name] = bytes;
            w.AddTensor(name, dims, type, bytes);
        }
        return w;
    }

    [Theory]
    [InlineData(32)]
    [InlineData(64)]
    [InlineData(8)]
    public void ReaderReadsWhatTheWriterWrote(int alignment)
    {
        var stream = new MemoryStream();
        BuildSample(alignment, out var data).WriteTo(stream);
        using var file = GgufFile.FromBytes(stream.ToArray());

        Assert.Equal(3, file.Version);
        Assert.Equal(alignment, file.Alignment);
        Assert.Equal(0, file.DataOffset % alignment);
        var m = file.Metadata;
        Assert.Equal((byte)200, m["u8"].Value);
        Assert.Equal((sbyte)-100, m["i8"].Value);
        Assert.Equal((ushort)60000, m["u16"].Value);
        Assert.Equal((short)-30000, m["i16"].Value);
        Assert.Equal(4_000_000_000u, m["u32"].Value);
        Assert.Equal(-2_000_000_000, m["i32"].Value);
        Assert.Equal(3.25f, m["f32"].Value);
        Assert.Equal(true, m["bool"].Value);
        Assert.Equal("DeepSeek <｜User｜> 你好 😀", m["string"].AsString());
        Assert.Equal(ulong.MaxValue, m["u64"].Value);
        Assert.Equal(long.MinValue, m["i64"].Value);
        Assert.Equal(Math.PI, m["f64"].Value);
        Assert.Equal(["a", "", "Ġthe", "😀"], m["strings"].AsArray().AsStrings());
        Assert.Equal([1, -2, 3], m["ints"].AsArray().AsInt32s());
        Assert.Equal([0.5f, -1.5f], m["floats"].AsArray().AsSingles());
        Assert.Equal(new[] { true, false }, (bool[])m["bools"].AsArray().Values);
        Assert.Equal(new ulong[] { 1, ulong.MaxValue }, (ulong[])m["u64s"].AsArray().Values);
        Assert.Equal(4, file.Tensors.Count);
        foreach (var t in file.Tensors)
        {
            Assert.Equal(0, t.Offset % alignment);
            Assert.Equal(data[t.Name], file.GetBytes(t).AsSpan().ToArray());
        }
        Assert.Equal(GgmlType.Q4_K, file.GetTensor("b.weight").Type);
        Assert.Equal(new long[] { 32, 5, 2 }, file.GetTensor("c.weight").Dimensions);
        Assert.Equal(10, file.GetTensor("c.weight").RowCount);
    }

    [Fact]
    public void WriterIsDeterministic()
    {
        var first = new MemoryStream();
        var second = new MemoryStream();
        BuildSample(32, out _).WriteTo(first);
        BuildSample(32, out _).WriteTo(second);
        Assert.Equal(SHA256.HashData(first.ToArray()), SHA256.HashData(second.ToArray()));
    }

    [Fact]
    public void IntegerAccessorsAcceptEveryWidth()
    {
        Assert.Equal(200, GgufValue.UInt8(200).AsInt64());
        Assert.Equal(-5, GgufValue.Int16(-5).AsInt64());
        Assert.Equal(7, GgufValue.UInt64(7).AsInt64());
        Assert.Throws<InvalidDataException>(() => GgufValue.String("x").AsInt64());
        Assert.Throws<InvalidDataException>(() => GgufValue.UInt64(ulong.MaxValue).AsInt64());
    }

    [Fact]
    public void FilesAbove4GiBWithTensorsAbove2GiBAreAddressable()
    {
        // A sparse file: the tensor data is a hole, so 5 GiB cost no disk and no time.
        string path = Path.Combine(Path.GetTempPath(), $"deepsharp-big-{Guid.NewGuid():N}.gguf");
        try
        {
            const long rows = 2_400_000L;
            var w = new GgufWriter();
            w.Add("general.architecture", GgufValue.String("llama"));
            w.AddTensor("small.weight", [32, 1], GgmlType.F32, s => s.Write(new byte[128]));
            w.AddTensor("huge.weight", [1024, rows], GgmlType.F16, s =>
            {
                // 4.9 GB of zeros written as a hole, then one marker byte at the very end.
                long size = 1024L * rows * 2;
                s.Seek(size - 1, SeekOrigin.Current);
                s.WriteByte(0x5A);
            });
            w.WriteTo(path);
            Assert.True(new FileInfo(path).Length > 4L << 30);

            using var file = GgufFile.Open(path);
            var huge = file.GetTensor("huge.weight");
            Assert.True(huge.ByteSize > int.MaxValue);
            var bytes = file.GetBytes(huge);
            Assert.Equal(huge.ByteSize, bytes.Length);
            Assert.Equal(0x5A, bytes.Slice(bytes.Length - 1, 1)[0]);
            Assert.Equal(0, bytes.Slice(3L << 30, 16)[0]);
            Assert.Throws<InvalidOperationException>(() => bytes.AsSpan());
            Assert.Throws<ArgumentOutOfRangeException>(() => bytes.Slice(bytes.Length - 1, 2));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
