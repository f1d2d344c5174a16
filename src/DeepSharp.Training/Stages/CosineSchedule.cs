namespace DeepSharp.Training.Stages;

/// <summary>Linear warm-up to the peak, then cosine decay to <c>peak × minRatio</c> at the last step.</summary>
public static class CosineSchedule
{
    /// <summary>The learning rate of step <paramref name="step"/> (0-based) out of <paramref name="steps"/>.</summary>
    public static double At(int step, int steps, int warmup, double peak, double minRatio)
    {
        if (step < warmup)
        {
            return peak * (step + 1) / warmup;
        }
        double progress = steps <= warmup + 1 ? 1 : (double)(step - warmup) / (steps - warmup - 1);
        double cosine = 0.5 * (1 + Math.Cos(Math.PI * Math.Clamp(progress, 0, 1)));
        return peak * (minRatio + ((1 - minRatio) * cosine));
    }
}
