namespace DeepSharp.Tokenization.Unicode;

/// <summary>
/// The coarse character classes the pre-tokenizer patterns test: the general-category groups
/// <c>\p{L}</c>, <c>\p{M}</c>, <c>\p{N}</c>, <c>\p{P}</c>, <c>\p{S}</c> and the <c>\s</c> (White_Space) property.
/// </summary>
[Flags]
internal enum CharClass : byte
{
    /// <summary>None of the classes below (other, unassigned, private use, surrogate, separators that are not white space).</summary>
    None = 0,
    Letter = 1,
    Mark = 2,
    Number = 4,
    Punctuation = 8,
    Symbol = 16,
    WhiteSpace = 32,
}
