namespace DeepSharp.Inference.Sampling;

/// <summary>Adjusts the full logits row before candidates are filtered (penalties, biases; grammars later).</summary>
public interface ILogitProcessor
{
    /// <summary>Adjusts <paramref name="logits"/> in place; <paramref name="history"/> holds the tokens so far, oldest first.</summary>
    void Process(Span<float> logits, IReadOnlyList<int> history);
}
