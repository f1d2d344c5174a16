namespace DeepSharp.Inference;

/// <summary>The UTF-8 bytes a token stands for (a tokenizer's decoding table), used to find stop strings.</summary>
public delegate ReadOnlySpan<byte> TokenBytes(int token);
