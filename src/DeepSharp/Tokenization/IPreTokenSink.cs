namespace DeepSharp.Tokenization;

/// <summary>Receives the pre-tokens of a text as ranges of UTF-16 units, in order.</summary>
internal interface IPreTokenSink
{
    /// <summary>One pre-token: <paramref name="length"/> units from <paramref name="start"/>.</summary>
    void Add(int start, int length);
}
