namespace DeepSharp.Engine;

/// <summary>
/// A token with its log-probability under the model's raw distribution at that step (log-softmax of the logits,
/// before penalties, filters and temperature), as the OpenAI API reports <c>logprobs</c>.
/// </summary>
/// <param name="TokenId">The token id.</param>
/// <param name="Text">The token's text (its bytes as UTF-8; a token that holds part of a character shows U+FFFD).</param>
/// <param name="Bytes">The token's exact UTF-8 bytes.</param>
/// <param name="Logprob">Natural log of its probability.</param>
/// <param name="TopLogprobs">For a sampled token, the most likely tokens at that step, most likely first
/// (<see cref="ChatRequestOptions.TopLogprobs"/> of them); empty for the alternatives themselves.</param>
public sealed record TokenLogprob(int TokenId, string Text, byte[] Bytes, float Logprob, IReadOnlyList<TokenLogprob> TopLogprobs);
