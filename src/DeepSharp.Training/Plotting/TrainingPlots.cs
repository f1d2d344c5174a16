using DeepSharp.Training.Stages;

namespace DeepSharp.Training.Plotting;

/// <summary>Draws a run's loss and reward curves from its stages' <c>metrics.csv</c> files.</summary>
public static class TrainingPlots
{
    /// <summary>Writes <c>pretrain-loss.png</c>, <c>sft-loss.png</c> and <c>grpo-reward.png</c> for the stages that have metrics.</summary>
    public static IReadOnlyList<string> Write(RunLayout layout, string dir)
    {
        Directory.CreateDirectory(dir);
        var written = new List<string>();
        string pretrain = Path.Combine(layout.Pretrain, "metrics.csv");
        if (File.Exists(pretrain))
        {
            Save(new LineChart("pretraining loss", "step")
                .Add("total (with MTP)", Smooth(MetricsLog.ReadColumn(pretrain, "loss")))
                .Add("next token", Smooth(MetricsLog.ReadColumn(pretrain, "main_loss"))), "pretrain-loss.png");
        }
        string sft = Path.Combine(layout.Sft, "metrics.csv");
        if (File.Exists(sft))
        {
            Save(new LineChart("SFT loss", "step").Add("completion tokens", Smooth(MetricsLog.ReadColumn(sft, "loss"))), "sft-loss.png");
        }
        string grpo = Path.Combine(layout.Grpo, "metrics.csv");
        if (File.Exists(grpo))
        {
            Save(new LineChart("GRPO: accuracy (%)", "step")
                .Add("sampled, train", Smooth(MetricsLog.ReadColumn(grpo, "accuracy")))
                .Add("greedy, held-out", MetricsLog.ReadColumn(grpo, "eval_accuracy")), "grpo-accuracy.png");
            Save(new LineChart("GRPO: mean reward", "step").Add("reward", Smooth(MetricsLog.ReadColumn(grpo, "reward"))), "grpo-reward.png");
        }
        return written;

        void Save(LineChart chart, string name)
        {
            string path = Path.Combine(dir, name);
            chart.Render().Save(path);
            written.Add(path);
        }
    }

    /// <summary>A trailing moving average over about 2% of the points, which keeps noisy curves readable.</summary>
    public static List<(double X, double Y)> Smooth(IReadOnlyList<(double X, double Y)> points)
    {
        int window = Math.Max(1, points.Count / 50);
        var result = new List<(double, double)>(points.Count);
        double sum = 0;
        for (int i = 0; i < points.Count; i++)
        {
            sum += points[i].Y;
            if (i >= window)
            {
                sum -= points[i - window].Y;
            }
            result.Add((points[i].X, sum / Math.Min(i + 1, window)));
        }
        return result;
    }
}
