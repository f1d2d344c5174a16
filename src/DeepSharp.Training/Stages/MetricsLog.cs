using System.Globalization;

namespace DeepSharp.Training.Stages;

/// <summary>A CSV file of per-step metrics ("step,name1,name2,..."), kept consistent across resumed runs.</summary>
public sealed class MetricsLog
{
    private readonly string _path;
    private readonly string[] _columns;

    /// <summary>Opens the log; rows after <paramref name="resumeStep"/> (left by an interrupted run) are dropped.</summary>
    public MetricsLog(string path, IReadOnlyList<string> columns, int resumeStep)
    {
        _path = path;
        _columns = [.. columns];
        string header = "step," + string.Join(',', _columns);
        var kept = new List<string> { header };
        if (resumeStep > 0 && File.Exists(path))
        {
            kept.AddRange(File.ReadLines(path).Skip(1).Where(l => int.Parse(l.AsSpan(0, l.IndexOf(',')), CultureInfo.InvariantCulture) <= resumeStep));
        }
        File.WriteAllLines(path, kept);
    }

    /// <summary>Appends one row; values follow the column order.</summary>
    public void Append(int step, params double[] values)
    {
        if (values.Length != _columns.Length)
        {
            throw new ArgumentException($"expected {_columns.Length} values, got {values.Length}", nameof(values));
        }
        File.AppendAllText(_path, step.ToString(CultureInfo.InvariantCulture) + "," + string.Join(',', values.Select(v => v.ToString("G6", CultureInfo.InvariantCulture))) + "\n");
    }

    /// <summary>Reads a column of a metrics file as (step, value) points.</summary>
    public static List<(double Step, double Value)> ReadColumn(string path, string column)
    {
        var lines = File.ReadAllLines(path);
        int index = Array.IndexOf(lines[0].Split(','), column);
        if (index < 0)
        {
            throw new ArgumentException($"'{path}' has no column '{column}'", nameof(column));
        }
        return [.. lines.Skip(1).Select(l => l.Split(',')).Where(f => f[index].Length > 0 && f[index] != "NaN")
            .Select(f => (double.Parse(f[0], CultureInfo.InvariantCulture), double.Parse(f[index], CultureInfo.InvariantCulture)))];
    }
}
