using System.Diagnostics;
using System.Globalization;

namespace DeepSharp.Training.Stages;

/// <summary>
/// A one-line progress bar with the step, loss, tokens per second and time left. When stderr is not a
/// terminal (a log file) it prints a plain line about fifty times per stage instead.
/// </summary>
public sealed class ProgressBar
{
    private readonly string _label;
    private readonly int _total;
    private readonly TextWriter _out;
    private readonly bool _interactive;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly int _firstStep;

    /// <summary>Starts a bar for steps <paramref name="firstStep"/> .. <paramref name="total"/>.</summary>
    public ProgressBar(string label, int firstStep, int total, TextWriter? output = null)
    {
        _label = label;
        _firstStep = firstStep;
        _total = total;
        _out = output ?? Console.Error;
        _interactive = output is null && !Console.IsErrorRedirected;
    }

    /// <summary>Seconds since the bar started.</summary>
    public double ElapsedSeconds => _clock.Elapsed.TotalSeconds;

    /// <summary>Reports step <paramref name="step"/> (1-based, completed) with a free-form tail such as the loss.</summary>
    public void Report(int step, string metrics)
    {
        double perStep = _clock.Elapsed.TotalSeconds / Math.Max(1, step - _firstStep);
        var left = TimeSpan.FromSeconds(perStep * (_total - step));
        int filled = _total == 0 ? 30 : 30 * step / _total;
        string line = string.Create(CultureInfo.InvariantCulture,
            $"{_label} [{new string('#', filled)}{new string('.', 30 - filled)}] {step}/{_total} {metrics} eta {left:mm\\:ss}");
        if (_interactive)
        {
            _out.Write("\r" + line.PadRight(Console.IsErrorRedirected ? 0 : Math.Max(0, Console.WindowWidth - 1)));
            if (step == _total)
            {
                _out.WriteLine();
            }
        }
        else if (step == _total || step % Math.Max(1, _total / 50) == 0)
        {
            _out.WriteLine(line);
        }
    }
}
