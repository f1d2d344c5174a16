using DeepSharp.Quantization;

namespace DeepSharp.Tests.Quantization;

/// <summary>Every format refuses spans of the wrong length with an <see cref="ArgumentException"/> naming the problem.</summary>
public sealed class ArgumentValidationTests
{
    public static TheoryData<GgmlType> Types => [.. QuantFormats.All.Select(f => f.Type)];

    [Theory]
    [MemberData(nameof(Types))]
    public void WrongLengths_Throw(GgmlType type)
    {
        var f = QuantFormats.Get(type);
        var act = QuantFormats.Get(f.DotType);
        int n = 2 * f.BlockSize;
        var blocks = new byte[2 * f.BlockBytes];
        var acts = new byte[2 * act.BlockBytes];
        var floats = new float[n];

        if (f.BlockSize > 1)
        {
            Expect(type, "destination", () => f.Dequantize(blocks, new float[n - 1]));
            Expect(type, "source", () => f.Quantize(new float[n + 1], blocks));
            Expect(type, "count", () => f.Dot(blocks, acts, n - 1));
        }
        Expect(type, "count", () => f.Dot(blocks, acts, -f.BlockSize));
        Expect(type, "blocks", () => f.Dequantize(blocks.AsSpan(1), floats));
        Expect(type, "blocks", () => f.Dequantize(new byte[3 * f.BlockBytes], floats));
        Expect(type, "destination", () => f.Quantize(floats, new byte[blocks.Length + 1]));
        Expect(type, "weights", () => f.Dot(blocks.AsSpan(1), acts, n));
        Expect(f.DotType, "activations", () => f.Dot(blocks, acts.AsSpan(0, act.BlockBytes), n));

        // The right lengths pass, including empty rows.
        f.Dequantize(blocks, floats);
        f.Quantize(floats, blocks);
        Assert.Equal(0f, f.Dot(blocks, acts, n));
        Assert.Equal(0f, f.Dot([], [], 0));
    }

    private static void Expect(GgmlType type, string param, Action call)
    {
        var e = Assert.ThrowsAny<ArgumentException>(call);
        Assert.Equal(param, e.ParamName);
        Assert.StartsWith($"{type}: ", e.Message);
    }
}
