using System.Buffers.Binary;
using DeepSharp.Quantization;

namespace DeepSharp.Fixtures;

/// <summary>
/// Streams random but valid tensor data of a ggml type. Quantized blocks are random bytes (every bit pattern
/// of codes and packed sub-scales is a valid block) with their f16 super-scales patched to finite values
/// chosen so that decoded weights have roughly the requested standard deviation. That is what lets a
/// multi-GB fixture be written in seconds.
/// </summary>
public static class RandomBlockWriter
{
    private const int ChunkBlocks = 4096;

    /// <summary>The weight types the fixture generator can write.</summary>
    public static IReadOnlyList<GgmlType> SupportedTypes { get; } =
    [
        GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q4_0, GgmlType.Q4_1, GgmlType.Q5_0, GgmlType.Q5_1,
        GgmlType.Q8_0, GgmlType.Q2_K, GgmlType.Q3_K, GgmlType.Q4_K, GgmlType.Q5_K, GgmlType.Q6_K,
        GgmlType.IQ4_NL, GgmlType.IQ4_XS,
    ];

    /// <summary>Writes <paramref name="elements"/> random elements of <paramref name="type"/> with standard deviation about <paramref name="sigma"/>.</summary>
    public static void Write(Stream stream, GgmlType type, long elements, float sigma, FixtureRandom rng)
    {
        var info = GgmlTypeInfo.Get(type);
        if (elements % info.BlockSize != 0)
        {
            throw new ArgumentException($"{elements} elements are not a whole number of {type} blocks", nameof(elements));
        }
        long blocks = elements / info.BlockSize;
        byte[] buffer = new byte[ChunkBlocks * info.BlockBytes];
        while (blocks > 0)
        {
            int n = (int)Math.Min(blocks, ChunkBlocks);
            var chunk = buffer.AsSpan(0, n * info.BlockBytes);
            FillBlocks(chunk, type, info.BlockBytes, sigma, rng);
            stream.Write(chunk);
            blocks -= n;
        }
    }

    /// <summary>Writes F32 values 1 + U(-spread, spread): the shape of trained RMSNorm weights.</summary>
    public static void WriteNormWeights(Stream stream, long elements, float spread, FixtureRandom rng)
    {
        Span<byte> four = stackalloc byte[4];
        for (long i = 0; i < elements; i++)
        {
            BinaryPrimitives.WriteSingleLittleEndian(four, 1 + rng.NextSymmetric(spread));
            stream.Write(four);
        }
    }

    private static void FillBlocks(Span<byte> chunk, GgmlType type, int blockBytes, float sigma, FixtureRandom rng)
    {
        float uniform = sigma * MathF.Sqrt(3); // a uniform variable on [-a, a] has deviation a/√3
        switch (type)
        {
            case GgmlType.F32:
                for (int i = 0; i < chunk.Length; i += 4)
                {
                    BinaryPrimitives.WriteSingleLittleEndian(chunk[i..], rng.NextSymmetric(uniform));
                }
                return;
            case GgmlType.F16:
                for (int i = 0; i < chunk.Length; i += 2)
                {
                    BinaryPrimitives.WriteHalfLittleEndian(chunk[i..], (Half)rng.NextSymmetric(uniform));
                }
                return;
            case GgmlType.BF16:
                for (int i = 0; i < chunk.Length; i += 2)
                {
                    uint bits = BitConverter.SingleToUInt32Bits(rng.NextSymmetric(uniform));
                    BinaryPrimitives.WriteUInt16LittleEndian(chunk[i..], (ushort)(bits >> 16));
                }
                return;
        }
        rng.Fill(chunk);
        for (int b = 0; b < chunk.Length; b += blockBytes)
        {
            PatchScales(chunk.Slice(b, blockBytes), type, sigma, rng);
        }
    }

    // Each d below divides sigma by the deviation of the block's decoded codes (times its sub-scales),
    // so weights come out near sigma; mins are set to centre the codes around zero.
    private static void PatchScales(Span<byte> block, GgmlType type, float sigma, FixtureRandom rng)
    {
        float jitter = 0.75f + 0.5f * rng.NextSingle();
        switch (type)
        {
            case GgmlType.Q4_0: SetHalf(block, 0, sigma / 4.6f * jitter); break;
            case GgmlType.Q4_1: SetScaleAndMin(block, 0, 2, sigma / 4.6f * jitter, 7.5f); break;
            case GgmlType.Q5_0: SetHalf(block, 0, sigma / 9.2f * jitter); break;
            case GgmlType.Q5_1: SetScaleAndMin(block, 0, 2, sigma / 9.2f * jitter, 15.5f); break;
            case GgmlType.Q8_0: SetHalf(block, 0, sigma / 74f * jitter); break;
            case GgmlType.IQ4_NL: SetHalf(block, 0, sigma / 65f * jitter); break;
            case GgmlType.IQ4_XS: SetHalf(block, 0, sigma / (18.5f * 65f) * jitter); break;
            case GgmlType.Q2_K: SetHalf(block, 80, sigma / 9f * jitter); SetHalf(block, 82, sigma / 9f * jitter * 11f / 7.5f); break;
            case GgmlType.Q3_K: SetHalf(block, 108, sigma / 42f * jitter); break;
            case GgmlType.Q4_K: SetHalf(block, 0, sigma / 190f * jitter); SetHalf(block, 2, sigma / 190f * jitter * 7.5f); break;
            case GgmlType.Q5_K: SetHalf(block, 0, sigma / 390f * jitter); SetHalf(block, 2, sigma / 390f * jitter * 15.5f); break;
            case GgmlType.Q6_K: SetHalf(block, 208, sigma / 1369f * jitter); break;
            default: throw new NotSupportedException($"the fixture generator cannot write tensors of type {type}");
        }
    }

    private static void SetScaleAndMin(Span<byte> block, int dOffset, int mOffset, float d, float centre)
    {
        SetHalf(block, dOffset, d);
        SetHalf(block, mOffset, -centre * d);
    }

    private static void SetHalf(Span<byte> block, int offset, float value) =>
        BinaryPrimitives.WriteHalfLittleEndian(block[offset..], (Half)value);
}
