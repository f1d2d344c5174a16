using DeepSharp.Quantization;

namespace DeepSharp.Tests.Quantization;

/// <summary>The format table: which types exist, their geometry and their dot-product partners.</summary>
public sealed class FormatCatalogTests
{
    // FACTS.md §2.4: llama.cpp's CPU vec_dot_type of each weight type.
    private static readonly Dictionary<GgmlType, GgmlType> s_dotTypes = new()
    {
        [GgmlType.F32] = GgmlType.F32,
        [GgmlType.F16] = GgmlType.F16,
        [GgmlType.BF16] = GgmlType.BF16,
        [GgmlType.Q4_0] = GgmlType.Q8_0,
        [GgmlType.Q5_0] = GgmlType.Q8_0,
        [GgmlType.Q8_0] = GgmlType.Q8_0,
        [GgmlType.IQ4_NL] = GgmlType.Q8_0,
        [GgmlType.Q4_1] = GgmlType.Q8_1,
        [GgmlType.Q5_1] = GgmlType.Q8_1,
        [GgmlType.Q8_1] = GgmlType.Q8_1,
        [GgmlType.Q2_K] = GgmlType.Q8_K,
        [GgmlType.Q3_K] = GgmlType.Q8_K,
        [GgmlType.Q4_K] = GgmlType.Q8_K,
        [GgmlType.Q5_K] = GgmlType.Q8_K,
        [GgmlType.Q6_K] = GgmlType.Q8_K,
        [GgmlType.Q8_K] = GgmlType.Q8_K,
        [GgmlType.IQ4_XS] = GgmlType.Q8_K,
    };

    // FACTS.md §1.5, written out independently of GgmlTypeInfo.
    private static readonly Dictionary<GgmlType, (int Size, int Bytes)> s_geometry = new()
    {
        [GgmlType.F32] = (1, 4), [GgmlType.F16] = (1, 2), [GgmlType.BF16] = (1, 2),
        [GgmlType.Q4_0] = (32, 18), [GgmlType.Q4_1] = (32, 20), [GgmlType.Q5_0] = (32, 22), [GgmlType.Q5_1] = (32, 24),
        [GgmlType.Q8_0] = (32, 34), [GgmlType.Q8_1] = (32, 36), [GgmlType.Q2_K] = (256, 84), [GgmlType.Q3_K] = (256, 110),
        [GgmlType.Q4_K] = (256, 144), [GgmlType.Q5_K] = (256, 176), [GgmlType.Q6_K] = (256, 210), [GgmlType.Q8_K] = (256, 292),
        [GgmlType.IQ4_NL] = (32, 18), [GgmlType.IQ4_XS] = (256, 136),
    };

    [Fact]
    public void All_HoldsExactlyTheFoundationFormats()
    {
        Assert.Equal(s_dotTypes.Keys.Order(), QuantFormats.All.Select(f => f.Type).Order());
        foreach (var type in s_dotTypes.Keys)
        {
            Assert.True(QuantFormats.IsSupported(type));
            Assert.Equal(type, QuantFormats.Get(type).Type);
        }
    }

    [Fact]
    public void Geometry_MatchesFactsAndGgmlTypeInfo()
    {
        foreach (var format in QuantFormats.All)
        {
            var info = GgmlTypeInfo.Get(format.Type);
            Assert.Equal(s_geometry[format.Type], (format.BlockSize, format.BlockBytes));
            Assert.Equal((info.BlockSize, info.BlockBytes), (format.BlockSize, format.BlockBytes));
            Assert.Equal(4 * format.BlockBytes, format.RowBytes(4 * format.BlockSize));
        }
    }

    [Fact]
    public void DotType_IsLlamaCppsVecDotType()
    {
        foreach (var format in QuantFormats.All)
        {
            Assert.Equal(s_dotTypes[format.Type], format.DotType);
            Assert.Equal(format.BlockSize, QuantFormats.Get(format.DotType).BlockSize);
        }
    }

    [Theory]
    [InlineData(GgmlType.IQ2_XXS)]
    [InlineData(GgmlType.MXFP4)]
    [InlineData(GgmlType.I32)]
    [InlineData((GgmlType)4)]
    public void Get_RefusesOtherTypes(GgmlType type)
    {
        Assert.False(QuantFormats.IsSupported(type));
        var e = Assert.Throws<NotSupportedException>(() => QuantFormats.Get(type));
        Assert.Equal($"unsupported tensor type {type}", e.Message);
    }
}
