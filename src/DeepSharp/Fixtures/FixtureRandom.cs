using System.Runtime.InteropServices;
using DeepSharp.Compute;

namespace DeepSharp.Fixtures;

/// <summary>
/// xoshiro256** generator: fast, seedable and stable across .NET versions, so a fixture written from a
/// seed is the same file on every machine.
/// </summary>
public sealed class FixtureRandom
{
    private readonly SeededRandom _core;

    /// <summary>Seeds the generator (SplitMix64 expands the seed into the state).</summary>
    public FixtureRandom(ulong seed) => _core = new SeededRandom(seed);

    /// <summary>A generator for one named stream, independent of the order streams are used in.</summary>
    public static FixtureRandom ForStream(ulong seed, string name)
    {
        ulong h = 14695981039346656037UL; // FNV-1a over the name, mixed with the seed
        foreach (char ch in name)
        {
            h = (h ^ ch) * 1099511628211UL;
        }
        return new FixtureRandom(seed ^ h);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64() => _core.NextUInt64();

    /// <summary>Uniform in [0, 1).</summary>
    public float NextSingle() => (NextUInt64() >> 40) * (1.0f / (1 << 24));

    /// <summary>Uniform in [-a, a).</summary>
    public float NextSymmetric(float a) => (NextSingle() * 2 - 1) * a;

    /// <summary>Uniform integer in [0, n).</summary>
    public int NextInt(int n) => (int)((NextUInt64() >> 33) % (ulong)n);

    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    public void Fill(Span<byte> destination)
    {
        var words = MemoryMarshal.Cast<byte, ulong>(destination);
        for (int i = 0; i < words.Length; i++)
        {
            words[i] = NextUInt64();
        }
        for (int i = words.Length * 8; i < destination.Length; i++)
        {
            destination[i] = (byte)NextUInt64();
        }
    }
}
