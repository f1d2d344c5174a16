using System.Diagnostics;
using System.Globalization;

namespace DeepSharp.Cli;

/// <summary>
/// The process's resident memory, split on Linux into anonymous pages (heap: KV cache, scratch) and file pages (the
/// mapped model), with the peak; elsewhere the working set.
/// </summary>
internal sealed record ProcessMemory(long Resident, long? Anonymous, long? FileBacked, long? Peak)
{
    public static ProcessMemory Read()
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            var fields = File.ReadLines(status)
                .Select(line => line.Split(':', 2))
                .Where(parts => parts.Length == 2 && parts[1].TrimEnd().EndsWith(" kB", StringComparison.Ordinal))
                .ToDictionary(parts => parts[0], parts => long.Parse(parts[1].Trim()[..^3], CultureInfo.InvariantCulture) * 1024);
            long? Field(string name) => fields.TryGetValue(name, out long v) ? v : null;
            return new ProcessMemory(Field("VmRSS") ?? 0, Field("RssAnon"), Field("RssFile"), Field("VmHWM"));
        }
        using var self = Process.GetCurrentProcess();
        return new ProcessMemory(self.WorkingSet64, null, null, self.PeakWorkingSet64);
    }

    public override string ToString() =>
        $"resident {Gib(Resident)}" +
        (Anonymous is { } a ? $" (anonymous {Gib(a)}, mapped file {Gib(FileBacked ?? 0)})" : "") +
        (Peak is { } p ? $", peak {Gib(p)}" : "");

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("0.000", CultureInfo.InvariantCulture) + " GiB";
}
