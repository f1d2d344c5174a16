using DeepSharp.Fixtures;
using DeepSharp.Formats.Gguf;
using DeepSharp.Quantization;

namespace DeepSharp.Tests.Formats;

/// <summary>
/// A seeded mutation fuzzer: thousands of corrupted variants of valid files must either load or raise
/// <see cref="GgufFormatException"/>; nothing else, no hang, and allocation bounded by the input size.
/// </summary>
public sealed class GgufFuzzTests
{
    private static byte[] Seed(string name)
    {
        var w = name switch
        {
            "metadata" => MetadataHeavy(),
            _ => ModelFixtureWriter.CreateWriter(new FixtureSpec("fuzz", FixturePresets.Get("tiny-qwen2") with
            {
                VocabSize = 300, EmbeddingLength = 32, FeedForwardLength = 32, LayerCount = 1, HeadCount = 2,
                KeyValueHeadCount = 1, KeyLength = 16, ValueLength = 16, RopeDimensionCount = 16,
            }, GgmlType.Q8_0)),
        };
        var stream = new MemoryStream();
        w.WriteTo(stream);
        return stream.ToArray();
    }

    private static GgufWriter MetadataHeavy()
    {
        var w = new GgufWriter(64);
        w.Add("s", GgufValue.String("héllo"));
        w.Add("a", GgufValue.StringArray(["x", "yz", "ÿ"]));
        w.Add("f", GgufValue.Float32Array([1f, 2f]));
        w.Add("b", GgufValue.Bool(false));
        w.Add("u", GgufValue.UInt64(3));
        w.AddTensor("t0", [32], GgmlType.Q4_0, new byte[18]);
        w.AddTensor("t1", [4, 2], GgmlType.F32, new byte[32]);
        return w;
    }

    [Theory]
    [InlineData("metadata", 4000)]
    [InlineData("model", 1500)]
    public void MutatedFilesLoadOrFailCleanly(string seedName, int iterations)
    {
        byte[] original = Seed(seedName);
        var rng = new Random(12345);
        int loaded = 0, rejected = 0;
        for (int i = 0; i < iterations; i++)
        {
            byte[] input = Mutate(original, rng);
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                using var file = GgufFile.FromBytes(input);
                long touched = 0;
                foreach (var t in file.Tensors)
                {
                    var bytes = file.GetBytes(t);
                    touched += bytes.Length > 0 ? bytes.Slice(bytes.Length - 1, 1)[0] : 0;
                }
                Assert.True(touched >= 0);
                loaded++;
            }
            catch (GgufFormatException)
            {
                rejected++;
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < 64L * input.Length + (1 << 20), $"input {i}: {allocated} bytes allocated for a {input.Length}-byte file");
        }
        Assert.True(rejected > iterations / 10, $"only {rejected} rejected");
        Assert.True(loaded > 0, "no mutant loaded; the mutations are too destructive to explore the parser");
    }

    private static byte[] Mutate(byte[] original, Random rng)
    {
        byte[] b = (byte[])original.Clone();
        int edits = 1 + rng.Next(4);
        for (int e = 0; e < edits; e++)
        {
            int at = rng.Next(Math.Max(1, Math.Min(b.Length, 4096)));
            switch (rng.Next(6))
            {
                case 0: // flip a bit
                    b[at] ^= (byte)(1 << rng.Next(8));
                    break;
                case 1: // random byte
                    b[at] = (byte)rng.Next(256);
                    break;
                case 2: // an extreme 64-bit value where counts, lengths and offsets live
                    if (at + 8 <= b.Length)
                    {
                        ulong v = rng.Next(4) switch { 0 => ulong.MaxValue, 1 => 1UL << 63, 2 => (ulong)rng.NextInt64(), _ => (ulong)rng.Next(1 << 20) };
                        BitConverter.TryWriteBytes(b.AsSpan(at, 8), v);
                    }
                    break;
                case 3: // truncate
                    return b.AsSpan(0, rng.Next(b.Length)).ToArray();
                case 4: // delete a run
                    int len = Math.Min(1 + rng.Next(16), b.Length - at);
                    b = [.. b.AsSpan(0, at), .. b.AsSpan(at + len)];
                    break;
                default: // duplicate a run
                    int n = Math.Min(1 + rng.Next(16), b.Length - at);
                    b = [.. b.AsSpan(0, at + n), .. b.AsSpan(at, n), .. b.AsSpan(at + n)];
                    break;
            }
        }
        return b;
    }
}
