using DeepSharp.Quantization;

namespace DeepSharp.Tests.Quantization;

/// <summary>
/// <see cref="IQuantFormat.DotRows"/> and <see cref="IQuantFormat.DotTile"/>: on every path each result equals
/// <see cref="IQuantFormat.Dot"/> of its row and activation bit for bit (whatever the grouping of activation rows
/// by four, strided rows or a strided destination), nothing outside the results is written, and bad shapes throw.
/// </summary>
public sealed class TileTests
{
    public static TheoryData<GgmlType, KernelPath> Paths()
    {
        var data = KernelTestData.BlockFormatPaths();
        foreach (var type in (GgmlType[])[GgmlType.F32, GgmlType.F16, GgmlType.BF16])
        {
            foreach (var path in KernelPaths.Supported)
            {
                data.Add(type, path);
            }
        }
        return data;
    }

    public static TheoryData<GgmlType> Types => [.. QuantFormats.All.Select(f => f.Type)];

    [Theory]
    [MemberData(nameof(Paths))]
    public void DotTile_EqualsDotOfEachPair(GgmlType type, KernelPath path)
    {
        var format = (IPathFormat)QuantFormats.Get(type);
        var rng = new Random(300 + (int)type);
        int blocks = format.BlockSize == 1 ? 96 : format.BlockSize == 32 ? 7 : 3;
        int n = blocks * format.BlockSize;
        int rowLength = format.RowBytes(n);
        const int Rows = 5, Gap = 3;
        int rowBytes = rowLength + 7; // rows need not be packed
        var weights = new byte[(Rows - 1) * rowBytes + rowLength];
        for (int r = 0; r < Rows; r++)
        {
            Weights(format, blocks, n, rng).CopyTo(weights, r * rowBytes);
        }
        foreach (int activationCount in (int[])[1, 2, 3, 4, 5, 8, 9, 12, 15])
        {
            int activationBytes = format.ActivationBytes(n);
            var acts = new byte[activationCount * activationBytes];
            for (int t = 0; t < activationCount; t++)
            {
                KernelTestData.QuantizedActivationsFor(format, n, seed: 10 * t + activationCount).CopyTo(acts, t * activationBytes);
            }
            int stride = Rows + Gap;
            var destination = Enumerable.Repeat(float.NaN, (activationCount - 1) * stride + Rows + 1).ToArray();
            format.DotTile(path, weights, rowBytes, Rows, acts, activationCount, n, destination, stride);
            for (int t = 0; t < activationCount; t++)
            {
                for (int r = 0; r < Rows; r++)
                {
                    float expected = format.Dot(path, weights.AsSpan(r * rowBytes, rowLength), acts.AsSpan(t * activationBytes, activationBytes), n);
                    Assert.True(BitConverter.SingleToInt32Bits(expected) == BitConverter.SingleToInt32Bits(destination[t * stride + r]),
                        $"{type} on {path}, {activationCount} activations: [{t}, {r}] = {destination[t * stride + r]}, Dot gives {expected}");
                }
                for (int g = Rows; g < stride && t * stride + g < destination.Length; g++)
                {
                    Assert.True(float.IsNaN(destination[t * stride + g]), $"{type} on {path}: the gap at [{t}, {g}] was written");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void DotRows_EqualsDotPerRow_OnTheActivePath(GgmlType type)
    {
        var format = QuantFormats.Get(type);
        var rng = new Random(400 + (int)type);
        int n = 2 * Math.Max(format.BlockSize, 32);
        int rowLength = format.RowBytes(n);
        const int Rows = 6;
        var weights = new byte[Rows * rowLength];
        for (int r = 0; r < Rows; r++)
        {
            Weights(format, n / format.BlockSize, n, rng).CopyTo(weights, r * rowLength);
        }
        var acts = KernelTestData.QuantizedActivationsFor(format, n, seed: 41);
        var destination = new float[Rows];
        format.DotRows(weights, rowLength, Rows, acts, n, destination);
        for (int r = 0; r < Rows; r++)
        {
            Assert.Equal(format.Dot(weights.AsSpan(r * rowLength, rowLength), acts, n), destination[r]);
        }
    }

    [Theory]
    [MemberData(nameof(Types))]
    public void BadShapes_Throw(GgmlType type)
    {
        var format = QuantFormats.Get(type);
        int n = 2 * format.BlockSize;
        int rowLength = format.RowBytes(n);
        var weights = new byte[3 * rowLength];
        var act = new byte[format.ActivationBytes(n)];
        var acts = new byte[2 * act.Length];

        Expect(type, "destination", () => format.DotRows(weights, rowLength, 3, act, n, new float[2]));
        Expect(type, "weightRows", () => format.DotRows(weights.AsSpan(1), rowLength, 3, act, n, new float[3]));
        Expect(type, "rowBytes", () => format.DotRows(weights, rowLength - 1, 2, act, n, new float[2]));
        Expect(type, "rowCount", () => format.DotRows(weights, rowLength, -1, act, n, []));
        Expect(type, "activations", () => format.DotRows(weights, rowLength, 3, acts, n, new float[3]));
        Expect(type, "activations", () => format.DotTile(weights, rowLength, 3, acts.AsSpan(1), 2, n, new float[6], 3));
        Expect(type, "activationCount", () => format.DotTile(weights, rowLength, 3, acts, -2, n, new float[6], 3));
        Expect(type, "destinationStride", () => format.DotTile(weights, rowLength, 3, acts, 2, n, new float[6], 2));
        Expect(type, "destination", () => format.DotTile(weights, rowLength, 3, acts, 2, n, new float[5], 3));
        if (format.BlockSize > 1)
        {
            Expect(type, "count", () => format.DotTile(weights, rowLength, 3, acts, 2, n - 1, new float[6], 3));
        }

        // Right shapes pass, empty ones included; a stride beyond the last row's bytes is not needed.
        format.DotTile(weights, rowLength, 3, acts, 2, n, new float[6], 3);
        format.DotTile(weights.AsSpan(0, 2 * rowLength + rowLength), rowLength, 3, acts, 2, n, new float[7], 4);
        format.DotTile([], rowLength, 0, [], 0, n, [], 0);
        format.DotRows(weights, rowLength, 0, act, n, []);
    }

    private static byte[] Weights(IQuantFormat format, int blocks, int n, Random rng)
    {
        if (format.BlockSize > 1)
        {
            return KernelTestData.RandomWeights(format, blocks, rng);
        }
        var row = new byte[format.RowBytes(n)];
        format.Quantize(TestRows.Gaussian(n, rng.Next()), row);
        return row;
    }

    private static void Expect(GgmlType type, string paramName, Action action)
    {
        var e = Assert.ThrowsAny<ArgumentException>(action);
        Assert.Equal(paramName, e.ParamName);
        Assert.StartsWith(type.ToString(), e.Message);
    }
}
