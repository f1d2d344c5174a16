namespace DeepSharp.Evaluation;

/// <summary>The outcome of a perplexity run.</summary>
/// <param name="Perplexity">exp of the mean negative log-likelihood of the scored tokens.</param>
/// <param name="MeanNegativeLogLikelihood">Mean negative log-likelihood per scored token, in nats.</param>
/// <param name="Chunks">Chunks evaluated.</param>
/// <param name="ScoredTokens">Tokens whose likelihood was counted.</param>
public readonly record struct PerplexityResult(double Perplexity, double MeanNegativeLogLikelihood, int Chunks, int ScoredTokens);
