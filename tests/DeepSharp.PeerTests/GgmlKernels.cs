using System.Runtime.InteropServices;
using DeepSharp.Quantization;

namespace DeepSharp.PeerTests;

/// <summary>
/// ggml's own CPU kernels from the native library LLamaSharp loaded: the type traits give the decoder
/// (<c>to_float</c>), the activation quantizer (<c>from_float</c>) and the dot product (<c>vec_dot</c>) that
/// llama.cpp's matrix products use.
/// </summary>
internal sealed unsafe class GgmlKernels
{
    private readonly nint _base;
    private readonly nint _cpu;

    private GgmlKernels(nint ggmlBase, nint cpu)
    {
        _base = ggmlBase;
        _cpu = cpu;
    }

    /// <summary>Loads the kernels; a model must have been loaded through LLamaSharp first (it picks the library variant).</summary>
    public static GgmlKernels Load()
    {
        // The variant (noavx, avx2, avx512 …) LLamaSharp chose is the one mapped into this process.
        string cpu = File.ReadLines("/proc/self/maps").Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).LastOrDefault() ?? "")
            .FirstOrDefault(p => p.EndsWith("/libggml-cpu.so", StringComparison.Ordinal))
            ?? throw new InvalidOperationException("libggml-cpu.so is not loaded: load a model through LLamaSharp first");
        string dir = Path.GetDirectoryName(cpu)!;
        return new GgmlKernels(NativeLibrary.Load(Path.Combine(dir, "libggml-base.so")), NativeLibrary.Load(cpu));
    }

    /// <summary>ggml's block size and bytes for <paramref name="type"/> (to check the struct layout assumed here).</summary>
    public (long BlockSize, long TypeSize) Geometry(GgmlType type)
    {
        var t = BaseTraits(type);
        return (t->BlockSize, (long)t->TypeSize);
    }

    /// <summary>Decodes <paramref name="count"/> elements with ggml.</summary>
    public float[] Dequantize(GgmlType type, ReadOnlySpan<byte> blocks, int count)
    {
        var result = new float[count];
        var toFloat = (delegate* unmanaged<byte*, float*, long, void>)BaseTraits(type)->ToFloat;
        fixed (byte* b = blocks)
        fixed (float* r = result)
        {
            toFloat(b, r, count);
        }
        return result;
    }

    /// <summary>Quantizes an activation row to <paramref name="dotType"/> with ggml's CPU quantizer.</summary>
    public byte[] QuantizeActivations(GgmlType dotType, ReadOnlySpan<float> x, int bytes)
    {
        var result = new byte[bytes];
        var fromFloat = (delegate* unmanaged<float*, byte*, long, void>)CpuTraits(dotType)->FromFloat;
        fixed (float* px = x)
        fixed (byte* r = result)
        {
            fromFloat(px, r, x.Length);
        }
        return result;
    }

    /// <summary>ggml's dot product of a weight row of <paramref name="type"/> with prepared activations.</summary>
    public float Dot(GgmlType type, ReadOnlySpan<byte> weights, ReadOnlySpan<byte> activations, int count)
    {
        var vecDot = (delegate* unmanaged<int, float*, nuint, byte*, nuint, byte*, nuint, int, void>)CpuTraits(type)->VecDot;
        float s;
        fixed (byte* w = weights)
        fixed (byte* a = activations)
        {
            vecDot(count, &s, 0, w, 0, a, 0, 1);
        }
        return s;
    }

    /// <summary>ggml's <c>vec_dot_type</c> for weights of <paramref name="type"/>.</summary>
    public GgmlType DotType(GgmlType type) => (GgmlType)CpuTraits(type)->VecDotType;

    private TypeTraits* BaseTraits(GgmlType type) =>
        ((delegate* unmanaged<int, TypeTraits*>)NativeLibrary.GetExport(_base, "ggml_get_type_traits"))((int)type);

    private CpuTypeTraits* CpuTraits(GgmlType type) =>
        ((delegate* unmanaged<int, CpuTypeTraits*>)NativeLibrary.GetExport(_cpu, "ggml_get_type_traits_cpu"))((int)type);

    // struct ggml_type_traits (ggml.h).
    [StructLayout(LayoutKind.Sequential)]
    private struct TypeTraits
    {
        public nint TypeName;
        public long BlockSize;
        public long BlockSizeInterleave;
        public nuint TypeSize;
        public byte IsQuantized;
        public nint ToFloat;
        public nint FromFloatRef;
    }

    // struct ggml_type_traits_cpu (ggml-cpu.h).
    [StructLayout(LayoutKind.Sequential)]
    private struct CpuTypeTraits
    {
        public nint FromFloat;
        public nint VecDot;
        public int VecDotType;
        public long RowCount;
    }
}
