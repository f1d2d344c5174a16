namespace DeepSharp.PeerTests;

/// <summary>How far our logits are from the reference's, over every compared position.</summary>
internal sealed record LogitComparison(float MaxAbsDiff, float MinSpread, int Top1Mismatches, int Top10SetMismatches, int Positions)
{
    /// <summary>The largest difference relative to the smallest logit spread (max − min) of any reference row.</summary>
    public float RelativeMaxDiff => MaxAbsDiff / MinSpread;

    public static LogitComparison Of(float[][] ours, float[][] reference)
    {
        Assert.Equal(reference.Length, ours.Length);
        float maxDiff = 0, minSpread = float.MaxValue;
        int top1 = 0, top10 = 0;
        for (int i = 0; i < reference.Length; i++)
        {
            Assert.Equal(reference[i].Length, ours[i].Length);
            for (int j = 0; j < reference[i].Length; j++)
            {
                maxDiff = Math.Max(maxDiff, Math.Abs(ours[i][j] - reference[i][j]));
            }
            minSpread = Math.Min(minSpread, reference[i].Max() - reference[i].Min());
            if (TopK(ours[i], 1)[0] != TopK(reference[i], 1)[0])
            {
                top1++;
            }
            if (!TopK(ours[i], 10).ToHashSet().SetEquals(TopK(reference[i], 10)))
            {
                top10++;
            }
        }
        return new LogitComparison(maxDiff, minSpread, top1, top10, reference.Length);
    }

    public static int[] TopK(float[] row, int k) =>
        Enumerable.Range(0, row.Length).OrderByDescending(i => row[i]).ThenBy(i => i).Take(k).ToArray();

    public override string ToString() =>
        $"max |diff| {MaxAbsDiff:G4} (relative to min spread {MinSpread:G4}: {RelativeMaxDiff:G3}), top-1 mismatches {Top1Mismatches}/{Positions}, top-10 set mismatches {Top10SetMismatches}/{Positions}";
}
