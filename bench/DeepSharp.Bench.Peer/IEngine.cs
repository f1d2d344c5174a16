namespace DeepSharp.Bench.Peer;

/// <summary>One inference engine with a model loaded: evaluates a prompt in one batch, then decodes greedily.</summary>
internal interface IEngine : IDisposable
{
    /// <summary>Short name for tables.</summary>
    string Name { get; }

    /// <summary>Rows of the output head (prompt ids are drawn below this).</summary>
    int VocabSize { get; }

    /// <summary>
    /// A fresh context: <paramref name="prompt"/> at positions 0.. in one batch (timed), then <paramref name="generate"/>
    /// tokens one at a time, each the arg-max of the previous logits (timed).
    /// </summary>
    Measurement Run(int[] prompt, int generate);
}
