namespace DeepSharp.Training.Stages;

/// <summary>
/// GRPO's advantage: each completion's reward minus its group's mean, divided by the group's standard deviation
/// (population form) plus a small epsilon, so a group whose rewards are all equal teaches nothing.
/// </summary>
public static class GroupAdvantages
{
    /// <summary>Advantages for <paramref name="rewards"/> laid out as consecutive groups of <paramref name="groupSize"/>.</summary>
    public static double[] Compute(IReadOnlyList<double> rewards, int groupSize, double epsilon = 1e-4)
    {
        if (groupSize < 2 || rewards.Count % groupSize != 0)
        {
            throw new ArgumentException($"{rewards.Count} rewards do not form groups of {groupSize} (at least 2)", nameof(groupSize));
        }
        var advantages = new double[rewards.Count];
        for (int g = 0; g < rewards.Count; g += groupSize)
        {
            double mean = 0;
            for (int i = g; i < g + groupSize; i++)
            {
                mean += rewards[i];
            }
            mean /= groupSize;
            double variance = 0;
            for (int i = g; i < g + groupSize; i++)
            {
                variance += (rewards[i] - mean) * (rewards[i] - mean);
            }
            double std = Math.Sqrt(variance / groupSize);
            for (int i = g; i < g + groupSize; i++)
            {
                advantages[i] = (rewards[i] - mean) / (std + epsilon);
            }
        }
        return advantages;
    }
}
