namespace DeepSharp.PeerTests;

/// <summary>How far our logits are from the reference's, over every compared position.</summary>
/// <param name="MaxAbsDiff">Largest |ours − reference| over all positions and tokens.</param>
/// <param name="MinSpread">Smallest (max − min) of a reference row.</param>
/// <param name="Top1Mismatches">Positions whose arg-max differs.</param>
/// <param name="Top10Mismatches">Positions whose top-10 sets differ.</param>
/// <param name="Top10RealMismatches">
/// Positions whose top-10 sets differ by more than a near-tie: a token of ours that is not in the reference's top 10
/// is more than twice <paramref name="MaxAbsDiff"/> below the reference's 10th logit.
/// </param>
/// <param name="Positions">Positions compared.</param>
internal sealed record LogitComparison(float MaxAbsDiff, float MinSpread, int Top1Mismatches, int Top10Mismatches, int Top10RealMismatches, int Positions)
{
    /// <summary>The largest difference relative to the smallest logit spread of any reference row.</summary>
    public float RelativeMaxDiff => MaxAbsDiff / MinSpread;

    public static LogitComparison Of(float[][] ours, float[][] reference)
    {
        Assert.Equal(reference.Length, ours.Length);
        float maxDiff = 0, minSpread = float.MaxValue;
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.Equal(reference[i].Length, ours[i].Length);
            for (int j = 0; j < reference[i].Length; j++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(ours[i][j] - reference[i][j]));
            }
            minSpread = Math.Min(minSpread, reference[i].Max() - reference[i].Min());
        }
        int top1 = 0, top10 = 0, top10Real = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            var r = reference[i];
            if (TopK(ours[i], 1)[0] != TopK(r, 1)[0])
            {
                top1++;
            }
            var referenceTop = TopK(r, 10);
            var extra = TopK(ours[i], 10).Except(referenceTop).ToArray();
            if (extra.Length > 0)
            {
                top10++;
                float tenth = r[referenceTop[^1]];
                if (extra.Any(id => r[id] < tenth - 2 * maxDiff))
                {
                    top10Real++;
                }
            }
        }
        return new LogitComparison(maxDiff, minSpread, top1, top10, top10Real, reference.Length);
    }

    public static int[] TopK(float[] row, int k) =>
        Enumerable.Range(0, row.Length).OrderByDescending(i => row[i]).ThenBy(i => i).Take(k).ToArray();

    public override string ToString() =>
        $"max |diff| {MaxAbsDiff:G4} = {RelativeMaxDiff:G3} of the logit spread ({MinSpread:G4}); top-1 mismatches {Top1Mismatches}/{Positions}; " +
        $"top-10 set mismatches {Top10Mismatches}/{Positions} ({Top10RealMismatches} beyond near-ties)";
}
