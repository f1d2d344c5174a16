using DeepSharp.Formats.Gguf;

namespace DeepSharp.Cli;

/// <summary>Turns the errors a user can cause (bad files, bad arguments) into one clear line and exit code 1.</summary>
internal static class CliErrors
{
    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (Exception e) when (IsUserError(e))
        {
            return Report(e);
        }
    }

    public static async Task<int> GuardAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (IsUserError(e))
        {
            return Report(e);
        }
    }

    private static bool IsUserError(Exception e) => e is GgufFormatException or InvalidDataException or IOException or NotSupportedException
        or ArgumentException or UnauthorizedAccessException or KeyNotFoundException or Inference.ContextFullException or Chat.ChatTemplateException;

    private static int Report(Exception e)
    {
        Console.Error.WriteLine($"deepsharp: error: {e.Message}");
        return 1;
    }
}
