using System.Globalization;
using System.Text;

namespace DeepSharp.Server;

/// <summary>A Prometheus histogram with fixed upper bounds: cumulative bucket counts, a sum and a count.</summary>
internal sealed class Histogram(string name, string help, double[] bounds)
{
    private readonly long[] _counts = new long[bounds.Length + 1];   // the last is +Inf
    private readonly Lock _lock = new();
    private double _sum;

    public void Observe(double value)
    {
        int bucket = 0;
        while (bucket < bounds.Length && value > bounds[bucket])
        {
            bucket++;
        }
        lock (_lock)
        {
            _counts[bucket]++;
            _sum += value;
        }
    }

    /// <summary>Appends the histogram in the Prometheus text format.</summary>
    public void WriteTo(StringBuilder text)
    {
        long[] counts;
        double sum;
        lock (_lock)
        {
            counts = (long[])_counts.Clone();
            sum = _sum;
        }
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n');
        text.Append("# TYPE ").Append(name).Append(" histogram\n");
        long cumulative = 0;
        for (int i = 0; i < counts.Length; i++)
        {
            cumulative += counts[i];
            string le = i < bounds.Length ? bounds[i].ToString(CultureInfo.InvariantCulture) : "+Inf";
            text.Append(name).Append("_bucket{le=\"").Append(le).Append("\"} ").Append(cumulative).Append('\n');
        }
        text.Append(name).Append("_sum ").Append(sum.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        text.Append(name).Append("_count ").Append(cumulative).Append('\n');
    }
}
