using System.Diagnostics;

namespace DeepSharp.Server.Tests;

/// <summary>Runs the system's <c>curl</c> for raw HTTP: what a stream looks like on the wire, byte for byte.</summary>
internal static class Curl
{
    public static string? Path { get; } = Find();

    /// <summary>Skips the calling test when curl is not installed (CI installs it).</summary>
    public static void RequireInstalled() => Assert.SkipWhen(Path is null, "curl is not installed (apt-get install curl)");

    /// <summary>Starts <c>curl -sS -N</c> posting <paramref name="json"/> to <paramref name="url"/>; stdout is the raw body.</summary>
    public static Process StartPost(Uri url, string json, params string[] extra)
    {
        var info = new ProcessStartInfo(Path!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (string arg in (string[])["-sS", "-N", "-H", "Content-Type: application/json", "--data-binary", "@-", .. extra, url.ToString()])
        {
            info.ArgumentList.Add(arg);
        }
        var process = Process.Start(info)!;
        process.StandardInput.Write(json);
        process.StandardInput.Close();
        return process;
    }

    /// <summary>Posts and returns curl's output once it exits (within 30 s).</summary>
    public static async Task<string> PostAsync(Uri url, string json, params string[] extra)
    {
        using var process = StartPost(url, json, extra);
        var output = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"curl failed ({process.ExitCode}): {await process.StandardError.ReadToEndAsync()}");
        return await output;
    }

    private static string? Find()
    {
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(System.IO.Path.PathSeparator))
        {
            string candidate = System.IO.Path.Combine(dir, "curl");
            if (dir.Length > 0 && File.Exists(candidate))
            {
                return candidate;
            }
        }
        return null;
    }
}
