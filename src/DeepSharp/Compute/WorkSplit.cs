namespace DeepSharp.Compute;

/// <summary>
/// Items (weight rows, tokens) cut into chunks for <see cref="ComputePool"/>: chunk boundaries fall on multiples of
/// <see cref="Granule"/> items, so neighbouring chunks never write the same 64-byte line of a float output, and the
/// granules are dealt out evenly, so no chunk is more than one granule longer than another and there is never one
/// tiny trailing chunk. Several chunks per thread let a thread that another process slowed down take fewer.
/// </summary>
internal readonly record struct WorkSplit(int Items, int Chunks, int Granule)
{
    /// <summary>Below this much work (bytes of weights read) a chunk costs more to hand to another thread than it saves.</summary>
    public const long MinChunkBytes = 16 << 10;

    /// <summary>Chunks per thread when the work is large enough: the slack that evens out uneven threads.</summary>
    public const int ChunksPerThread = 4;

    /// <summary>
    /// A split of <paramref name="rows"/> rows whose whole product reads <paramref name="bytes"/> bytes, over
    /// <paramref name="threads"/> threads: one chunk when the work is small, else up to <see cref="ChunksPerThread"/>
    /// per thread, each at least <see cref="MinChunkBytes"/> and 16 rows.
    /// </summary>
    public static WorkSplit Rows(int rows, long bytes, int threads)
    {
        const int granule = 16;
        int granules = (rows + granule - 1) / granule;
        long byBytes = Math.Max(1, bytes / MinChunkBytes);
        int chunks = (int)Math.Min(Math.Min(byBytes, granules), threads * ChunksPerThread);
        if (chunks > threads)
        {
            chunks -= chunks % threads; // whole rounds: every thread gets as many chunks when all run at one speed
        }
        return new WorkSplit(rows, Math.Max(1, chunks), granule);
    }

    /// <summary>Items [start, end) of chunk <paramref name="chunk"/>.</summary>
    public (int Start, int End) Range(int chunk)
    {
        int granules = (Items + Granule - 1) / Granule;
        int start = (int)((long)granules * chunk / Chunks) * Granule;
        int end = (int)((long)granules * (chunk + 1) / Chunks) * Granule;
        return (Math.Min(start, Items), Math.Min(end, Items));
    }
}
