using DeepSharp.Quantization;

namespace DeepSharp.Tests.Quantization;

/// <summary>
/// One block per format, built byte by byte from the layout in FACTS.md §2, with the decoded values of chosen
/// elements worked out by hand (the arithmetic is in the comments). Elements placed off the obvious positions
/// catch a wrong element order.
/// </summary>
public sealed class HandBuiltBlockTests
{
    private const byte HalfHi0_5 = 0x38;   // 0.5 = 0x3800
    private const byte HalfHi0_25 = 0x34;  // 0.25 = 0x3400
    private const byte HalfHi0_125 = 0x30; // 0.125 = 0x3000
    private const byte HalfHi2 = 0x40;     // 2.0 = 0x4000
    private const byte HalfHiMinus1 = 0xBC; // -1.0 = 0xBC00

    [Fact]
    public void Q4_0()
    {
        var b = new byte[18];
        b[1] = HalfHi0_5;
        for (int j = 0; j < 16; j++)
        {
            b[2 + j] = 0x88; // both nibbles 8: value 0
        }
        b[2 + 0] = 0x1F; // element 0 nibble 15, element 16 nibble 1
        b[2 + 5] = 0xA0; // element 5 nibble 0, element 21 nibble 10
        var y = Decode(GgmlType.Q4_0, b);
        Assert.Equal(3.5f, y[0]);   // (15 - 8) * 0.5
        Assert.Equal(-3.5f, y[16]); // (1 - 8) * 0.5
        Assert.Equal(-4f, y[5]);    // (0 - 8) * 0.5
        Assert.Equal(1f, y[21]);    // (10 - 8) * 0.5
        Assert.Equal(0f, y[1]);
        Assert.Equal(0f, y[17]);
    }

    [Fact]
    public void Q4_1()
    {
        var b = new byte[20];
        b[1] = HalfHi0_5;
        b[3] = HalfHiMinus1;
        b[4 + 2] = 0x3C; // element 2 nibble 12, element 18 nibble 3
        var y = Decode(GgmlType.Q4_1, b);
        Assert.Equal(5f, y[2]);    // 12 * 0.5 - 1
        Assert.Equal(0.5f, y[18]); // 3 * 0.5 - 1
        Assert.Equal(-1f, y[0]);
        Assert.Equal(-1f, y[31]);
    }

    [Fact]
    public void Q5_0()
    {
        var b = new byte[22];
        b[1] = HalfHi0_25;
        b[2] = 0x08; // qh bit 3 (element 3)
        b[4] = 0x10; // qh bit 20 (element 20)
        b[6 + 3] = 0x21; // element 3 nibble 1, element 19 nibble 2
        b[6 + 4] = 0x5F; // element 4 nibble 15, element 20 nibble 5
        var y = Decode(GgmlType.Q5_0, b);
        Assert.Equal(0.25f, y[3]);  // ((1 | 16) - 16) * 0.25
        Assert.Equal(-3.5f, y[19]); // (2 - 16) * 0.25, bit 19 clear
        Assert.Equal(-0.25f, y[4]); // (15 - 16) * 0.25
        Assert.Equal(1.25f, y[20]); // ((5 | 16) - 16) * 0.25
        Assert.Equal(-4f, y[0]);    // (0 - 16) * 0.25
    }

    [Fact]
    public void Q5_1()
    {
        var b = new byte[24];
        b[1] = HalfHi0_5;
        b[3] = HalfHi2;
        b[7] = 0x80;      // qh bit 31 (element 31)
        b[8 + 15] = 0xF0; // element 15 nibble 0, element 31 nibble 15
        var y = Decode(GgmlType.Q5_1, b);
        Assert.Equal(17.5f, y[31]); // (15 | 16) * 0.5 + 2
        Assert.Equal(2f, y[15]);    // 0 * 0.5 + 2
        Assert.Equal(2f, y[0]);
    }

    [Fact]
    public void Q8_0()
    {
        var b = new byte[34];
        b[1] = HalfHi0_125;
        b[2 + 0] = 0x80;  // -128
        b[2 + 31] = 0x7F; // 127
        b[2 + 7] = 0xFD;  // -3
        var y = Decode(GgmlType.Q8_0, b);
        Assert.Equal(-16f, y[0]);
        Assert.Equal(15.875f, y[31]);
        Assert.Equal(-0.375f, y[7]);
        Assert.Equal(0f, y[8]);
    }

    [Fact]
    public void Q8_1()
    {
        var b = new byte[36];
        b[1] = HalfHi2;
        b[3] = 0x7B;     // s: any value; it does not enter the decoding
        b[4 + 1] = 0xFB; // -5
        var y = Decode(GgmlType.Q8_1, b);
        Assert.Equal(-10f, y[1]);
        Assert.Equal(0f, y[0]);
    }

    [Fact]
    public void IQ4_NL()
    {
        var b = new byte[18];
        b[1] = HalfHi0_5;
        b[2 + 0] = 0xF0; // element 0 code 0 (-127), element 16 code 15 (113)
        b[2 + 9] = 0x78; // element 9 code 8 (1), element 25 code 7 (-10)
        var y = Decode(GgmlType.IQ4_NL, b);
        Assert.Equal(-63.5f, y[0]);
        Assert.Equal(56.5f, y[16]);
        Assert.Equal(0.5f, y[9]);
        Assert.Equal(-5f, y[25]);
    }

    [Fact]
    public void Q2_K()
    {
        var b = new byte[84]; // scales[16] @0, qs[64] @16, d @80, dmin @82
        b[81] = HalfHi0_5;
        b[83] = HalfHi0_25;
        b[5] = 0x73;       // sub-block 5 (elements 80..95): scale 3, min 7
        b[12] = 0x21;      // sub-block 12 (elements 192..207): scale 1, min 2
        b[16 + 19] = 0x20; // qs[19] bits 4..5 = 2: element 0*128 + 2*32 + 19 = 83
        b[16 + 35] = 0x30; // qs[35] bits 4..5 = 3: element 128 + 2*32 + 3 = 195
        var y = Decode(GgmlType.Q2_K, b);
        Assert.Equal(1.25f, y[83]);  // 0.5*3*2 - 0.25*7
        Assert.Equal(-1.75f, y[81]); // code 0: -0.25*7
        Assert.Equal(1f, y[195]);    // 0.5*1*3 - 0.25*2
        Assert.Equal(0f, y[131]);    // same byte, bits 0..1 = 0, sub-block 8 has scale 0 and min 0
        Assert.Equal(0f, y[96]);     // sub-block 6: scale 0, min 0
    }

    [Fact]
    public void Q3_K()
    {
        var b = new byte[110]; // hmask[32] @0, qs[64] @32, scales[12] @96, d @108
        b[109] = HalfHi0_5;
        // Sub-block 9 scale -3: stored 29 = 0b01_1101; low four bits in the high nibble of scales[1], top two
        // bits at bits 4..5 of scales[9]. Every other stored scale is 0, i.e. -32.
        b[96 + 1] = 0xD0;
        b[96 + 9] = 0x10;
        // Element 150 = 128*1 + 32*0 + 22: low bits at bits 0..1 of qs[32 + 22], high bit at bit 4 of hmask[22].
        b[32 + 54] = 0x01;
        b[22] = 0x11;      // also bit 0: the high bit of element 22 (first half, same hmask byte)
        var y = Decode(GgmlType.Q3_K, b);
        Assert.Equal(-1.5f, y[150]); // 0.5 * -3 * (1 - 0)
        Assert.Equal(6f, y[151]);    // 0.5 * -3 * (0 - 4)
        Assert.Equal(0f, y[22]);     // 0.5 * -32 * (0 - 0)
        Assert.Equal(64f, y[0]);     // 0.5 * -32 * (0 - 4)
    }

    [Fact]
    public void Q4_K()
    {
        var b = new byte[144]; // d @0, dmin @2, scales[12] @4, qs[128] @16
        b[1] = HalfHi0_5;
        b[3] = HalfHi0_25;
        b[4 + 1] = 10;   // sub-block 1: scale 10
        b[4 + 5] = 3;    //              min 3
        // Sub-block 6: scale 37 = 0b10_0101, min 50 = 0b11_0010. Low nibbles in scales[10] (scale low, min high),
        // top bits of the scale in scales[2] bits 6..7, of the min in scales[6] bits 6..7.
        b[4 + 10] = 0x25;
        b[4 + 2] = 0x80;
        b[4 + 6] = 0xC0;
        b[16 + 8] = 0x70;  // qs[8] high nibble 7: element 40 (chunk 0, second 32)
        b[16 + 104] = 0x0B; // qs[104] low nibble 11: element 3*64 + 8 = 200
        var y = Decode(GgmlType.Q4_K, b);
        Assert.Equal(34.25f, y[40]); // 0.5*10*7 - 0.25*3
        Assert.Equal(0f, y[8]);      // low nibble of qs[8], sub-block 0 (scale 0, min 0)
        Assert.Equal(191f, y[200]);  // 0.5*37*11 - 0.25*50
        Assert.Equal(-12.5f, y[201]); // code 0 in sub-block 6
        Assert.Equal(0f, y[232]);    // high nibble of qs[104], sub-block 7 (scale 0, min 0)
    }

    [Fact]
    public void Q5_K()
    {
        var b = new byte[176]; // d @0, dmin @2, scales[12] @4, qh[32] @16, qs[128] @48
        b[1] = HalfHi0_5;
        b[3] = HalfHi0_25;
        b[4 + 2] = 4;  // sub-block 2: scale 4
        b[4 + 6] = 8;  //              min 8
        b[4 + 3] = 1;  // sub-block 3: scale 1, min 0
        b[48 + 38] = 0x03; // qs[38] low nibble 3: element 64 + 6 = 70 (chunk 1)
        b[16 + 6] = 0x0C;  // qh[6] bit 2 (element 70) and bit 3 (element 102)
        var y = Decode(GgmlType.Q5_K, b);
        Assert.Equal(36f, y[70]);  // 0.5*4*(3 + 16) - 0.25*8
        Assert.Equal(8f, y[102]);  // 0.5*1*(0 + 16) - 0
        Assert.Equal(-2f, y[71]);  // code 0 in sub-block 2
        Assert.Equal(0f, y[6]);    // sub-block 0: scale 0, min 0
    }

    [Fact]
    public void Q6_K()
    {
        var b = new byte[210]; // ql[128] @0, qh[64] @128, scales[16] @192, d @208
        b[209] = HalfHi0_5;
        b[192 + 5] = 0xFE;  // sub-block 5 (elements 80..95): scale -2
        b[192 + 14] = 3;    // sub-block 14 (elements 224..239): scale 3
        // Element 85 = 32*2 + 21: high nibble of ql[21], bits 4..5 of qh[21].
        b[21] = 0xA0;
        b[128 + 21] = 0x20;
        // Element 230 = 128 + 32*3 + 6: high nibble of ql[64 + 32 + 6], bits 6..7 of qh[32 + 6].
        b[102] = 0x50;
        b[128 + 38] = 0xC0;
        var y = Decode(GgmlType.Q6_K, b);
        Assert.Equal(-10f, y[85]);   // 0.5 * -2 * ((10 | 2<<4) - 32)
        Assert.Equal(31.5f, y[230]); // 0.5 * 3 * ((5 | 3<<4) - 32)
        Assert.Equal(-32f * 1.5f, y[224]); // code 0 - 32 in sub-block 14
        Assert.Equal(0f, y[21]);     // sub-block 1 has scale 0
    }

    [Fact]
    public void Q8_K()
    {
        var b = new byte[292]; // f32 d @0, qs[256] @4, bsums @260
        BitConverter.TryWriteBytes(b.AsSpan(0, 4), -0.5f);
        b[4 + 200] = 100;
        b[4 + 0] = 0xFF; // -1
        var y = Decode(GgmlType.Q8_K, b);
        Assert.Equal(-50f, y[200]);
        Assert.Equal(0.5f, y[0]);
        Assert.Equal(0f, y[1]);
    }

    [Fact]
    public void IQ4_XS()
    {
        var b = new byte[136]; // d @0, scales_h @2, scales_l[4] @4, qs[128] @8
        b[1] = HalfHi0_25;
        // Sub-block 5: stored 45 = 0b10_1101 (scale 13): low nibble in the high nibble of scales_l[2],
        // top bits at bits 10..11 of scales_h. Other sub-blocks store 0 (scale -32).
        b[4 + 2] = 0xD0;
        b[3] = 0x08;
        b[8 + 83] = 0x2E; // qs[83] = sub-block 5 byte 3: element 163 code 14 (89), element 179 code 2 (-83)
        var y = Decode(GgmlType.IQ4_XS, b);
        Assert.Equal(289.25f, y[163]);  // 0.25*13*89
        Assert.Equal(-269.75f, y[179]); // 0.25*13*(-83)
        Assert.Equal(1016f, y[0]);      // 0.25*(-32)*(-127)
    }

    [Fact]
    public void PlainFloats()
    {
        Assert.Equal([1.5f, -2f], Decode(GgmlType.F32, [0, 0, 0xC0, 0x3F, 0, 0, 0, 0xC0]));
        Assert.Equal([1.5f, float.PositiveInfinity, MathF.Pow(2, -24)], Decode(GgmlType.F16, [0x00, 0x3E, 0x00, 0x7C, 0x01, 0x00]));
        Assert.Equal([1.5f, MathF.Pow(2, -133), float.NegativeInfinity], Decode(GgmlType.BF16, [0xC0, 0x3F, 0x01, 0x00, 0x80, 0xFF]));
    }

    private static float[] Decode(GgmlType type, byte[] bytes)
    {
        var format = QuantFormats.Get(type);
        var y = new float[bytes.Length / format.BlockBytes * format.BlockSize];
        format.Dequantize(bytes, y);
        return y;
    }
}
