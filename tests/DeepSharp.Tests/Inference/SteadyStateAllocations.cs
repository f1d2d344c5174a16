using DeepSharp.Inference;

namespace DeepSharp.Tests.Inference;

/// <summary>Bytes one-token decoding allocates on the calling thread once warm.</summary>
internal static class SteadyStateAllocations
{
    /// <summary>
    /// Decodes 40 tokens from the session's current position, over and over. Warm-up runs past tiered compilation's
    /// call-count threshold first (promoting methods to tier 1 can allocate on the calling thread, which is the
    /// JIT's cost, not the decode loop's); then the smallest of three windows is returned, so a late tier-up does
    /// not count. The session should run on a one-thread pool so all work is on this thread.
    /// </summary>
    public static long OfDecoding(InferenceSession session, int vocabulary)
    {
        int[] next = [7];
        int start = session.Position;
        for (int round = 0; round < 4; round++)
        {
            session.Rewind(start);
            for (int i = 0; i < 40; i++)
            {
                next[0] = (i * 7) % vocabulary;
                session.Evaluate(next);
            }
        }
        long fewest = long.MaxValue;
        for (int window = 0; window < 3; window++)
        {
            session.Rewind(start);
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 40; i++)
            {
                next[0] = (i * 13) % vocabulary;
                session.Evaluate(next);
            }
            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return fewest;
    }
}
