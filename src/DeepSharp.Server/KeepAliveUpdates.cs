using System.Runtime.CompilerServices;

namespace DeepSharp.Server;

/// <summary>
/// Relays an async stream and, whenever the next item takes longer than an interval, yields a null in between so
/// the caller can send a keep-alive. Waiting for a slot and the prompt's evaluation both count as waiting.
/// </summary>
internal static class KeepAliveUpdates
{
    public static async IAsyncEnumerable<T?> Relay<T>(IAsyncEnumerable<T> source, TimeSpan interval, [EnumeratorCancellation] CancellationToken cancellationToken)
        where T : struct
    {
        var enumerator = source.GetAsyncEnumerator(cancellationToken);
        Task<bool>? pending = null;
        try
        {
            while (true)
            {
                pending = enumerator.MoveNextAsync().AsTask();
                if (!pending.IsCompleted)
                {
                    // Only a wait gets a timer, and it is cancelled as soon as the item comes, so a fast stream does
                    // not leave a timer behind per token.
                    using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                    while (await Task.WhenAny(pending, Task.Delay(interval, timer.Token)).ConfigureAwait(false) != pending)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        yield return null;
                    }
                    timer.Cancel();
                }
                var moved = pending;
                pending = null;
                if (!await moved.ConfigureAwait(false))
                {
                    yield break;
                }
                yield return enumerator.Current;
            }
        }
        finally
        {
            // An async iterator must not be disposed while a MoveNextAsync is running: let that one end first (it
            // sees the same cancellation), whatever it ends with.
            if (pending is not null)
            {
                try
                {
                    await pending.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // Its outcome no longer matters: the consumer has already stopped.
                }
            }
            await enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }
}
