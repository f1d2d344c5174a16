using DeepSharp.Models;

namespace DeepSharp.Tests.Engine;

/// <summary>
/// An activation sink that lets a test hold the scheduler's loop thread inside a forward pass (the gate) or slow each
/// pass down (the delay), so requests can be made to overlap or queue deterministically.
/// </summary>
internal sealed class StepControl : IActivationSink, IDisposable
{
    private readonly ManualResetEventSlim _gate = new(initialState: true);
    private readonly SemaphoreSlim _held = new(0);

    private int _passes;
    private int _holdAt = -1;

    public int DelayMilliseconds { get; set; }

    /// <summary>Forward passes that reached the first layer.</summary>
    public int Passes => Volatile.Read(ref _passes);

    /// <summary>The <paramref name="passes"/>-th pass from now stops at its first layer until <see cref="Open"/>.</summary>
    public void HoldAfter(int passes) => Volatile.Write(ref _holdAt, Passes + passes);

    /// <summary>The next forward pass stops at its first layer until <see cref="Open"/>.</summary>
    public void Close() => _gate.Reset();

    public void Open() => _gate.Set();

    /// <summary>Waits until the loop thread is held at the closed gate.</summary>
    public Task WaitUntilHeldAsync() => _held.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(t => Assert.True(t.Result, "the loop never reached the gate"));

    public void Report(int layer, string name, int tokens, ReadOnlySpan<float> values)
    {
        if (layer != 0 || name != "attn_norm")
        {
            return;
        }
        if (Interlocked.Increment(ref _passes) == Volatile.Read(ref _holdAt))
        {
            _gate.Reset();
        }
        if (!_gate.IsSet)
        {
            _held.Release();
            _gate.Wait();
        }
        if (DelayMilliseconds > 0)
        {
            Thread.Sleep(DelayMilliseconds);
        }
    }

    public void Dispose()
    {
        _gate.Set();
        _gate.Dispose();
        _held.Dispose();
    }
}
