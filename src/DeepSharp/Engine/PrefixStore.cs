using DeepSharp.Compute;

namespace DeepSharp.Engine;

/// <summary>
/// Token prefixes kept with their KV rows after they left the slots, bounded in positions (least recently used
/// go first), optionally mirrored to a folder so they survive a restart. Used from the scheduler's loop thread
/// only; file writes and deletions run in order on one background task, on immutable entries.
/// </summary>
internal sealed class PrefixStore
{
    private readonly List<PrefixEntry> _entries = [];
    private readonly KvCacheType _type;
    private readonly IReadOnlyList<IReadOnlyList<int>> _planeWidths;
    private readonly int _capacity;
    private readonly int _minTokens;
    private readonly string? _directory;
    private readonly ulong _fingerprint;
    private readonly Action<string>? _log;
    private Task _io = Task.CompletedTask;
    private long _clock;

    public PrefixStore(KvCacheType type, IReadOnlyList<IReadOnlyList<int>> planeWidths, int capacityTokens, int minTokens, string? directory, ulong fingerprint, Action<string>? log)
    {
        _type = type;
        _planeWidths = planeWidths;
        _capacity = capacityTokens;
        _minTokens = Math.Max(1, minTokens);
        _directory = directory;
        _fingerprint = fingerprint;
        _log = log;
        if (directory is not null && capacityTokens > 0)
        {
            Directory.CreateDirectory(directory);
            Load(directory);
        }
    }

    /// <summary>Prefixes kept.</summary>
    public int Count => _entries.Count;

    /// <summary>Positions they hold.</summary>
    public long Tokens => _entries.Sum(e => (long)e.Tokens.Length);

    /// <summary>The entry sharing the longest prefix with <paramref name="prompt"/> (at most <paramref name="limit"/> tokens), or null.</summary>
    public (PrefixEntry? Entry, int Length) Find(IReadOnlyList<int> prompt, int limit)
    {
        PrefixEntry? best = null;
        int bestLength = 0;
        foreach (var e in _entries)
        {
            int length = CommonPrefix(e.Tokens, prompt, limit);
            if (length > bestLength)
            {
                (best, bestLength) = (e, length);
            }
        }
        if (best is not null)
        {
            best.LastUsed = ++_clock;
        }
        return (best, bestLength);
    }

    /// <summary>Keeps the first <paramref name="tokens"/>.Count positions of <paramref name="source"/>, unless they are too short, too long or already kept.</summary>
    public void Retain(IReadOnlyList<int> tokens, KvCache source)
    {
        int count = tokens.Count;
        if (count < _minTokens || count > _capacity)
        {
            return;
        }
        foreach (var e in _entries)
        {
            if (e.Tokens.Length >= count && CommonPrefix(e.Tokens, tokens, count) == count)
            {
                e.LastUsed = ++_clock;
                return;
            }
        }
        var cache = new KvCache(count, source.Type, _planeWidths);
        source.CopyPositionsTo(0, cache, 0, count);
        var entry = new PrefixEntry([.. tokens], cache) { LastUsed = ++_clock };
        // An entry the new one extends is redundant: every prompt it serves, the new one serves as well.
        foreach (var dominated in _entries.Where(e => CommonPrefix(e.Tokens, tokens, e.Tokens.Length) == e.Tokens.Length).ToArray())
        {
            Remove(dominated);
        }
        _entries.Add(entry);
        while (Tokens > _capacity)
        {
            Remove(_entries.MinBy(e => e.LastUsed)!);
        }
        if (_entries.Contains(entry) && _directory is not null)
        {
            entry.FilePath = Path.Combine(_directory, $"{_fingerprint:x16}-{ContentHash.Of(System.Runtime.InteropServices.MemoryMarshal.AsBytes(entry.Tokens.AsSpan())):x16}{PrefixCacheFile.Extension}");
            Enqueue(() => PrefixCacheFile.Write(entry.FilePath, _fingerprint, entry), $"cannot write prefix cache file '{entry.FilePath}'");
        }
    }

    /// <summary>Forgets every entry in memory (files stay).</summary>
    public void Clear() => _entries.Clear();

    /// <summary>Waits for pending file writes.</summary>
    public void Flush() => _io.Wait();

    /// <summary>Length of the common prefix of <paramref name="a"/> and <paramref name="b"/>, at most <paramref name="limit"/>.</summary>
    public static int CommonPrefix(IReadOnlyList<int> a, IReadOnlyList<int> b, int limit)
    {
        int n = Math.Min(limit, Math.Min(a.Count, b.Count)), i = 0;
        while (i < n && a[i] == b[i])
        {
            i++;
        }
        return i;
    }

    private void Remove(PrefixEntry entry)
    {
        _entries.Remove(entry);
        if (entry.FilePath is { } path)
        {
            Enqueue(() => File.Delete(path), $"cannot delete prefix cache file '{path}'");
        }
    }

    private void Enqueue(Action action, string failure) =>
        _io = _io.ContinueWith(_ =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                // A cache file is an optimisation: failing to write or delete one must not fail the engine.
                _log?.Invoke($"{failure}: {e.Message}");
            }
        }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);

    /// <summary>Reads this model's files, newest first, while they fit; ignores (and reports) any that fail a check.</summary>
    private void Load(string directory)
    {
        string prefix = $"{_fingerprint:x16}-";
        var files = new DirectoryInfo(directory).GetFiles("*" + PrefixCacheFile.Extension).OrderByDescending(f => f.LastWriteTimeUtc);
        foreach (var file in files)
        {
            if (!file.Name.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue; // another model's file: not ours to judge or delete
            }
            var entry = PrefixCacheFile.TryRead(file.FullName, _fingerprint, _type, _planeWidths, out string? problem);
            if (entry is null)
            {
                _log?.Invoke($"ignoring prefix cache file '{file.FullName}': it {problem}");
                continue;
            }
            if (Tokens + entry.Tokens.Length > _capacity)
            {
                continue;
            }
            entry.FilePath = file.FullName;
            entry.LastUsed = -_entries.Count; // newest file, most recently used
            _entries.Add(entry);
        }
    }
}
