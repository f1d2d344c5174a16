namespace DeepSharp.Compute;

/// <summary>Work split into independent chunks that <see cref="ComputePool"/> runs on several threads.</summary>
public interface IChunkJob
{
    /// <summary>Runs chunk <paramref name="chunk"/>; chunks never share output.</summary>
    void Execute(int chunk);
}
