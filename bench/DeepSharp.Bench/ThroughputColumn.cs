using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace DeepSharp.Bench;

/// <summary>A per-operation quantity of the benchmark's <see cref="KernelCase"/> divided by the fastest iteration's time per operation: a rate per nanosecond, i.e. G/s.</summary>
public sealed class ThroughputColumn(string name, string legend, Func<KernelCase, double> perOperation) : IColumn
{
    public string Id => nameof(ThroughputColumn) + name;

    public string ColumnName => name;

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => legend;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var best = summary[benchmarkCase]?.ResultStatistics?.Min;
        return benchmarkCase.Parameters["Case"] is KernelCase kernelCase && best is > 0
            ? (perOperation(kernelCase) / best.Value).ToString("F2")
            : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
