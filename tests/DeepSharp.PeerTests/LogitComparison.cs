using DeepSharp.Compute;
using DeepSharp.Inference;
using DeepSharp.Models;

namespace DeepSharp.PeerTests;

/// <summary>How far our logits are from the reference's, over every compared position.</summary>
/// <param name="MaxAbsDiff">Largest |ours − reference| over all positions and tokens.</param>
/// <param name="MinSpread">Smallest (max − min) of a reference row.</param>
/// <param name="Top1Mismatches">Positions whose arg-max differs.</param>
/// <param name="Top1RealMismatches">
/// Positions whose arg-max differs by more than a near-tie: the reference logit of our arg-max is more than twice that
/// position's largest difference below the reference maximum (a tie that close is decided by rounding).
/// </param>
/// <param name="Top10Mismatches">Positions whose top-10 sets differ.</param>
/// <param name="Top10RealMismatches">
/// Positions whose top-10 sets differ by more than a near-tie: a token of ours that is not in the reference's top 10
/// is more than twice that position's largest difference below the reference's 10th logit.
/// </param>
/// <param name="Positions">Positions compared.</param>
internal sealed record LogitComparison(
    float MaxAbsDiff, float MinSpread, int Top1Mismatches, int Top1RealMismatches, int Top10Mismatches, int Top10RealMismatches, int Positions)
{
    /// <summary>The largest difference relative to the smallest logit spread of any reference row.</summary>
    public float RelativeMaxDiff => MaxAbsDiff / MinSpread;

    /// <summary>
    /// Evaluates <paramref name="tokens"/> (in batches of 16, so later batches read cached positions) with llama.cpp
    /// and with DeepSharp, both with a <paramref name="kv"/> cache, and compares the logits of every position.
    /// </summary>
    public static LogitComparison OfModel(string path, int[] tokens, KvCacheType kv)
    {
        var (ours, reference) = Evaluate(path, tokens, kv);
        return Of(ours, reference);
    }

    /// <summary>The logits <see cref="OfModel"/> compares: ours and llama.cpp's, [position][token].</summary>
    public static (float[][] Ours, float[][] Reference) Evaluate(string path, int[] tokens, KvCacheType kv)
    {
        float[][] reference;
        using (var llama = LlamaCppReference.Load(path))
        {
            reference = llama.Logits(tokens, kvF32: kv == KvCacheType.F32);
        }
        using var model = TransformerModel.Load(path);
        var session = new InferenceSession(model, new SessionOptions { KvCacheType = kv, BatchSize = 16 });
        return (session.EvaluateAll(tokens), reference);
    }

    public static LogitComparison Of(float[][] ours, float[][] reference)
    {
        Assert.Equal(reference.Length, ours.Length);
        float maxDiff = 0, minSpread = float.MaxValue;
        int top1 = 0, top1Real = 0, top10 = 0, top10Real = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            var r = reference[i];
            Assert.Equal(r.Length, ours[i].Length);
            float rowDiff = 0;
            for (int j = 0; j < r.Length; j++)
            {
                rowDiff = Math.Max(rowDiff, Math.Abs(ours[i][j] - r[j]));
            }
            maxDiff = Math.Max(maxDiff, rowDiff);
            minSpread = Math.Min(minSpread, r.Max() - r.Min());
            int ourBest = TopK(ours[i], 1)[0], referenceBest = TopK(r, 1)[0];
            if (ourBest != referenceBest)
            {
                top1++;
                top1Real += r[ourBest] < r[referenceBest] - 2 * rowDiff ? 1 : 0;
            }
            var referenceTop = TopK(r, 10);
            var extra = TopK(ours[i], 10).Except(referenceTop).ToArray();
            if (extra.Length > 0)
            {
                top10++;
                float tenth = r[referenceTop[^1]];
                top10Real += extra.Any(id => r[id] < tenth - 2 * rowDiff) ? 1 : 0;
            }
        }
        return new LogitComparison(maxDiff, minSpread, top1, top1Real, top10, top10Real, reference.Length);
    }

    public static int[] TopK(float[] row, int k) =>
        Enumerable.Range(0, row.Length).OrderByDescending(i => row[i]).ThenBy(i => i).Take(k).ToArray();

    public override string ToString() =>
        $"max |diff| {MaxAbsDiff:G4} = {RelativeMaxDiff:G3} of the logit spread ({MinSpread:G4}); top-1 mismatches {Top1Mismatches}/{Positions} ({Top1RealMismatches} beyond near-ties); " +
        $"top-10 set mismatches {Top10Mismatches}/{Positions} ({Top10RealMismatches} beyond near-ties)";
}
