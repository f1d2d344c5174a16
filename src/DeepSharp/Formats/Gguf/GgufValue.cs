using System.Globalization;

namespace DeepSharp.Formats.Gguf;

/// <summary>
/// One metadata value: a scalar of the exact CLR type of its GGUF type (byte, sbyte, ushort, short, uint,
/// int, float, bool, string, ulong, long, double) or a <see cref="GgufArray"/>.
/// </summary>
public sealed class GgufValue
{
    private GgufValue(GgufValueType type, object value)
    {
        Type = type;
        Value = value;
    }

    /// <summary>The GGUF type the value is stored as.</summary>
    public GgufValueType Type { get; }

    /// <summary>The value itself (see the class remarks for its CLR type).</summary>
    public object Value { get; }

#pragma warning disable CS1591 // one factory per GGUF type, named after it
    public static GgufValue UInt8(byte v) => new(GgufValueType.UInt8, v);
    public static GgufValue Int8(sbyte v) => new(GgufValueType.Int8, v);
    public static GgufValue UInt16(ushort v) => new(GgufValueType.UInt16, v);
    public static GgufValue Int16(short v) => new(GgufValueType.Int16, v);
    public static GgufValue UInt32(uint v) => new(GgufValueType.UInt32, v);
    public static GgufValue Int32(int v) => new(GgufValueType.Int32, v);
    public static GgufValue Float32(float v) => new(GgufValueType.Float32, v);
    public static GgufValue Bool(bool v) => new(GgufValueType.Bool, v);
    public static GgufValue String(string v) => new(GgufValueType.String, v ?? throw new ArgumentNullException(nameof(v)));
    public static GgufValue UInt64(ulong v) => new(GgufValueType.UInt64, v);
    public static GgufValue Int64(long v) => new(GgufValueType.Int64, v);
    public static GgufValue Float64(double v) => new(GgufValueType.Float64, v);
    public static GgufValue Array(GgufArray v) => new(GgufValueType.Array, v ?? throw new ArgumentNullException(nameof(v)));
    public static GgufValue StringArray(IReadOnlyList<string> v) => Array(GgufArray.Of(v));
    public static GgufValue Int32Array(IReadOnlyList<int> v) => Array(GgufArray.Of(v));
    public static GgufValue Float32Array(IReadOnlyList<float> v) => Array(GgufArray.Of(v));
#pragma warning restore CS1591

    /// <summary>True for the eight integer types.</summary>
    public bool IsInteger => Type is GgufValueType.UInt8 or GgufValueType.Int8 or GgufValueType.UInt16
        or GgufValueType.Int16 or GgufValueType.UInt32 or GgufValueType.Int32 or GgufValueType.UInt64
        or GgufValueType.Int64;

    /// <summary>The value as a string; throws if it is not a string.</summary>
    public string AsString() => Value as string ?? throw WrongType("a string");

    /// <summary>The value as a 64-bit integer, from any integer type (writers disagree on widths).</summary>
    public long AsInt64() => Value switch
    {
        byte v => v,
        sbyte v => v,
        ushort v => v,
        short v => v,
        uint v => v,
        int v => v,
        long v => v,
        ulong v when v <= long.MaxValue => (long)v,
        ulong => throw new InvalidDataException("integer metadata value does not fit in 64 signed bits"),
        _ => throw WrongType("an integer"),
    };

    /// <summary>The value as a double, from any numeric type.</summary>
    public double AsDouble() => Value switch
    {
        float v => v,
        double v => v,
        _ when IsInteger => AsInt64(),
        _ => throw WrongType("a number"),
    };

    /// <summary>The value as a bool; throws if it is not a bool.</summary>
    public bool AsBool() => Value is bool b ? b : throw WrongType("a bool");

    /// <summary>The value as an array; throws if it is not an array.</summary>
    public GgufArray AsArray() => Value as GgufArray ?? throw WrongType("an array");

    /// <inheritdoc />
    public override string ToString() => Value switch
    {
        string s => s,
        GgufArray a => a.ToString(),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Value.ToString() ?? "",
    };

    private InvalidDataException WrongType(string wanted) =>
        new($"metadata value of type {Type} is not {wanted}");
}
