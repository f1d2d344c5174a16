namespace DeepSharp.Formats.Gguf;

/// <summary>
/// A metadata array. <see cref="Values"/> is a typed CLR array matching <see cref="ElementType"/>
/// (for example <c>string[]</c> or <c>int[]</c>), never an array of arrays.
/// </summary>
public sealed class GgufArray
{
    /// <summary>Creates an array; the CLR element type must match the GGUF element type.</summary>
    public GgufArray(GgufValueType elementType, Array values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (elementType == GgufValueType.Array)
        {
            throw new ArgumentException("nested arrays are not supported", nameof(elementType));
        }
        if (values.GetType().GetElementType() != ClrTypeOf(elementType))
        {
            throw new ArgumentException($"a {elementType} array needs {ClrTypeOf(elementType).Name}[] values", nameof(values));
        }
        ElementType = elementType;
        Values = values;
    }

    /// <summary>The GGUF type of every element.</summary>
    public GgufValueType ElementType { get; }

    /// <summary>The elements as a typed CLR array.</summary>
    public Array Values { get; }

    /// <summary>Number of elements.</summary>
    public int Count => Values.Length;

    /// <summary>An array of strings.</summary>
    public static GgufArray Of(IReadOnlyList<string> values) => new(GgufValueType.String, values.ToArray());

    /// <summary>An array of INT32.</summary>
    public static GgufArray Of(IReadOnlyList<int> values) => new(GgufValueType.Int32, values.ToArray());

    /// <summary>An array of FLOAT32.</summary>
    public static GgufArray Of(IReadOnlyList<float> values) => new(GgufValueType.Float32, values.ToArray());

    /// <summary>The elements as strings; throws if the array holds another type.</summary>
    public string[] AsStrings() => Values as string[] ?? throw WrongType("strings");

    /// <summary>The elements as 32-bit integers, from any integer element type that fits.</summary>
    public int[] AsInt32s() => Values switch
    {
        int[] a => a,
        uint[] a => a.Select(v => checked((int)v)).ToArray(),
        short[] a => a.Select(v => (int)v).ToArray(),
        ushort[] a => a.Select(v => (int)v).ToArray(),
        sbyte[] a => a.Select(v => (int)v).ToArray(),
        byte[] a => a.Select(v => (int)v).ToArray(),
        long[] a => a.Select(v => checked((int)v)).ToArray(),
        ulong[] a => a.Select(v => checked((int)v)).ToArray(),
        _ => throw WrongType("integers"),
    };

    /// <summary>The elements as floats, from FLOAT32 or FLOAT64 element types.</summary>
    public float[] AsSingles() => Values switch
    {
        float[] a => a,
        double[] a => a.Select(v => (float)v).ToArray(),
        _ => throw WrongType("floats"),
    };

    /// <inheritdoc />
    public override string ToString() => $"[{ElementType} × {Count}]";

    /// <summary>The CLR element type that stands for a GGUF scalar type.</summary>
    public static Type ClrTypeOf(GgufValueType type) => type switch
    {
        GgufValueType.UInt8 => typeof(byte),
        GgufValueType.Int8 => typeof(sbyte),
        GgufValueType.UInt16 => typeof(ushort),
        GgufValueType.Int16 => typeof(short),
        GgufValueType.UInt32 => typeof(uint),
        GgufValueType.Int32 => typeof(int),
        GgufValueType.Float32 => typeof(float),
        GgufValueType.Bool => typeof(bool),
        GgufValueType.String => typeof(string),
        GgufValueType.UInt64 => typeof(ulong),
        GgufValueType.Int64 => typeof(long),
        GgufValueType.Float64 => typeof(double),
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "not a scalar GGUF type"),
    };

    private InvalidDataException WrongType(string wanted) =>
        new($"metadata array of {ElementType} does not hold {wanted}");
}
