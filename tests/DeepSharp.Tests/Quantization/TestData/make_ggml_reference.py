#!/usr/bin/env python3
"""Writes ggml_reference.json: quantisation vectors computed by llama.cpp's own ggml libraries.

The libraries come from the NuGet package LLamaSharp.Backend.Cpu 0.30.0 (the portable "noavx" build),
loaded with ctypes; only the Python standard library is needed. Restore that package once (for example by
building a project that references it) and run:

    python3 make_ggml_reference.py [path/to/native/noavx] > ggml_reference.json

For every type the file holds the ggml reference quantisation of a shared input x, its dequantisation,
blocks of random bytes with their dequantisation, the shared activation y quantised to the type's
vec_dot type, and ggml's scalar ("generic") dot products. It also holds F16/BF16 conversions of
awkward floats. The C# tests compare DeepSharp's formats against these numbers.
"""
import base64, ctypes, json, math, os, random, struct, sys

LIB = sys.argv[1] if len(sys.argv) > 1 else os.path.expanduser(
    "~/.nuget/packages/llamasharp.backend.cpu/0.30.0/LLamaSharpRuntimes/linux-x64/native/noavx")
base = ctypes.CDLL(os.path.join(LIB, "libggml-base.so"), mode=ctypes.RTLD_GLOBAL)
cpu = ctypes.CDLL(os.path.join(LIB, "libggml-cpu.so"), mode=ctypes.RTLD_GLOBAL)
cpu.ggml_cpu_init()

N = 512
rng = random.Random(20240917)

# (name, block elements, block bytes, ggml suffix, dot type, dot function, offsets of half fields, q8k-like f32 d)
TYPES = [
    ("Q4_0", 32, 18, "q4_0", "Q8_0", "ggml_vec_dot_q4_0_q8_0_generic", [0]),
    ("Q4_1", 32, 20, "q4_1", "Q8_1", "ggml_vec_dot_q4_1_q8_1_generic", [0, 2]),
    ("Q5_0", 32, 22, "q5_0", "Q8_0", "ggml_vec_dot_q5_0_q8_0_generic", [0]),
    ("Q5_1", 32, 24, "q5_1", "Q8_1", "ggml_vec_dot_q5_1_q8_1_generic", [0, 2]),
    ("Q8_0", 32, 34, "q8_0", "Q8_0", "ggml_vec_dot_q8_0_q8_0_generic", [0]),
    ("Q8_1", 32, 36, "q8_1", "Q8_1", None, [0, 2]),
    ("Q2_K", 256, 84, "q2_K", "Q8_K", "ggml_vec_dot_q2_K_q8_K_generic", [80, 82]),
    ("Q3_K", 256, 110, "q3_K", "Q8_K", "ggml_vec_dot_q3_K_q8_K_generic", [108]),
    ("Q4_K", 256, 144, "q4_K", "Q8_K", "ggml_vec_dot_q4_K_q8_K_generic", [0, 2]),
    ("Q5_K", 256, 176, "q5_K", "Q8_K", "ggml_vec_dot_q5_K_q8_K_generic", [0, 2]),
    ("Q6_K", 256, 210, "q6_K", "Q8_K", "ggml_vec_dot_q6_K_q8_K_generic", [208]),
    ("Q8_K", 256, 292, "q8_K", "Q8_K", None, []),
    ("IQ4_NL", 32, 18, "iq4_nl", "Q8_0", "ggml_vec_dot_iq4_nl_q8_0_generic", [0]),
    ("IQ4_XS", 256, 136, "iq4_xs", "Q8_K", "ggml_vec_dot_iq4_xs_q8_K_generic", [0]),
]
INFO = {t[0]: t for t in TYPES}

f32 = lambda xs: (ctypes.c_float * len(xs))(*xs)
b64 = lambda b: base64.b64encode(bytes(b)).decode()
f32b64 = lambda xs: b64(struct.pack("<%df" % len(xs), *xs))

base.ggml_fp32_to_fp16.restype = ctypes.c_uint16
base.ggml_fp32_to_fp16.argtypes = [ctypes.c_float]
base.ggml_fp16_to_fp32.restype = ctypes.c_float
base.ggml_fp16_to_fp32.argtypes = [ctypes.c_uint16]
base.ggml_fp32_to_bf16.restype = ctypes.c_uint16
base.ggml_fp32_to_bf16.argtypes = [ctypes.c_float]
base.ggml_bf16_to_fp32.restype = ctypes.c_float
base.ggml_bf16_to_fp32.argtypes = [ctypes.c_uint16]
cpu_half = base.ggml_fp32_to_fp16

def quantize(suffix, xs, nbytes):
    out = (ctypes.c_uint8 * nbytes)()
    fn = getattr(base, "quantize_row_%s_ref" % suffix)
    fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
    fn(f32(xs), out, len(xs))
    return bytes(out)

def dequantize(suffix, data, n):
    out = (ctypes.c_float * n)()
    fn = getattr(base, "dequantize_row_%s" % suffix)
    fn.argtypes = [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int64]
    buf = (ctypes.c_uint8 * len(data)).from_buffer_copy(data)
    fn(buf, out, n)
    return list(out)

def vec_dot(name, w, a, n):
    fn = getattr(cpu, name)
    fn.argtypes = [ctypes.c_int, ctypes.POINTER(ctypes.c_float), ctypes.c_size_t, ctypes.c_void_p,
                   ctypes.c_size_t, ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    s = ctypes.c_float(0)
    wb = (ctypes.c_uint8 * len(w)).from_buffer_copy(w)
    ab = (ctypes.c_uint8 * len(a)).from_buffer_copy(a)
    fn(n, ctypes.byref(s), 0, wb, 0, ab, 0, 1)
    return s.value

def random_blocks(name, nblocks):
    """Random bytes, with every scale field set to a finite half (or f32 for Q8_K) of moderate size."""
    _, _, bb, _, _, _, halves = INFO[name]
    out = bytearray()
    for _ in range(nblocks):
        blk = bytearray(rng.getrandbits(8) for _ in range(bb))
        for off in halves:
            v = rng.choice([-1, 1]) * rng.uniform(0.01, 0.5)
            blk[off:off + 2] = struct.pack("<H", cpu_half(v))
        if name == "Q8_K":
            blk[0:4] = struct.pack("<f", rng.uniform(-0.05, 0.05))
            # bsums must agree with qs for the dot identities; they are data, so keep them consistent
            qs = struct.unpack("<256b", bytes(blk[4:260]))
            blk[260:292] = struct.pack("<16h", *[sum(qs[16 * k:16 * k + 16]) for k in range(16)])
        if name == "Q8_1":
            d = struct.unpack("<e", bytes(blk[0:2]))[0]
            qs = struct.unpack("<32b", bytes(blk[4:36]))
            blk[2:4] = struct.pack("<H", cpu_half(d * sum(qs)))
        out += blk
    return bytes(out)

def gauss_row(n, ties):
    xs = []
    for b in range(n // 32):
        scale = math.exp(rng.uniform(-3, 1))
        xs += [rng.gauss(0, scale) for _ in range(32)]
    xs[5] = 40 * max(abs(v) for v in xs[:32])        # one outlier
    if ties:
        # blocks whose rounding lands exactly on .5: amax 127 so that d = 1 (Q8_0) and iscale = -1 (Q8_K)
        for j in range(32):
            xs[32 + j] = (j - 16) + 0.5
        xs[32] = 127.0
        xs[256 + 3] = 127.0
        for j in range(8):
            xs[256 + 8 + j] = j + 0.5
    return [struct.unpack("<f", struct.pack("<f", v))[0] for v in xs]

x = gauss_row(N, False)
y = gauss_row(N, True)

cases = []
acts = {}
for dt in ("Q8_0", "Q8_1", "Q8_K"):
    _, bs, bb, suffix, _, _, _ = INFO[dt]
    acts[dt] = quantize(suffix, y, N // bs * bb)

for name, bs, bb, suffix, dot_type, dot_fn, _ in TYPES:
    nb = N // bs
    quant = quantize(suffix, x, nb * bb)
    rand = random_blocks(name, nb)
    case = {
        "type": name,
        "quant": b64(quant),
        "quant_deq": f32b64(dequantize(suffix, quant, N)) if name != "Q8_1" else None,  # ggml has no Q8_1 decoder
        "rand": b64(rand), "rand_deq": f32b64(dequantize(suffix, rand, N)) if name != "Q8_1" else None,
        "dot_type": dot_type,
    }
    if dot_fn:
        case["dot_quant"] = vec_dot(dot_fn, quant, acts[dot_type], N)
        case["dot_rand"] = vec_dot(dot_fn, rand, acts[dot_type], N)
    cases.append(case)

# Plain float types: random finite values, converted by ggml, and ggml's dot products.
def conv_case(name, to_bits, from_bits, dot_fn):
    vals = x
    bits = [to_bits(v) for v in vals]
    raw = struct.pack("<%dH" % N, *bits)
    ybits = struct.pack("<%dH" % N, *[to_bits(v) for v in y])
    return {"type": name, "quant": b64(raw), "quant_deq": f32b64([from_bits(b) for b in bits]),
            "dot_type": name, "dot_quant": vec_dot(dot_fn, raw, ybits, N)}

cases.append(conv_case("F16", base.ggml_fp32_to_fp16, base.ggml_fp16_to_fp32, "ggml_vec_dot_f16"))
cases.append(conv_case("BF16", base.ggml_fp32_to_bf16, base.ggml_bf16_to_fp32, "ggml_vec_dot_bf16"))
cases.append({"type": "F32", "dot_type": "F32",
              "dot_quant": vec_dot("ggml_vec_dot_f32", struct.pack("<%df" % N, *x), struct.pack("<%df" % N, *y), N)})

# Awkward floats by bit pattern: zeros, infinities, NaNs, subnormals, rounding ties of both formats.
specials = [0x00000000, 0x80000000, 0x7F800000, 0xFF800000, 0x7FC00000, 0xFFC00001, 0x7F800001, 0x7FBFFFFF,
            0x00000001, 0x807FFFFF, 0x00400000, 0x7F7FFFFF, 0xFF7FFFFF, 0x3F800000, 0x3F808000, 0x3F818000,
            0x3F808001, 0x3F807FFF, 0xBF818000, 0x7F7F8000, 0x7F7F7FFF, 0x477FE000, 0x477FF000, 0x477FEFFF,
            0x47800000, 0x387FC000, 0x38800000, 0x33800000, 0x33000000, 0x33000001, 0x337FFFFF, 0x33C00000,
            0x3F801000, 0x3F803000, 0x3F802000, 0x3F802001, 0xC7800000, 0x00800000, 0x00008000]
for _ in range(40):
    specials.append(rng.getrandbits(32))
to_f = lambda u: struct.unpack("<f", struct.pack("<I", u))[0]
conversions = [{"f32": u, "f16": base.ggml_fp32_to_fp16(to_f(u)), "bf16": base.ggml_fp32_to_bf16(to_f(u))}
               for u in specials]

json.dump({
    "generator": "make_ggml_reference.py with ggml from LLamaSharp.Backend.Cpu 0.30.0 (linux-x64 noavx)",
    "n": N, "x": f32b64(x), "y": f32b64(y),
    "activations": {k: b64(v) for k, v in acts.items()},
    "cases": cases, "conversions": conversions,
}, sys.stdout, indent=1)
sys.stdout.write("\n")
