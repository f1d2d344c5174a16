namespace DeepSharp.Quantization;

/// <summary>How Q8_0/Q8_1 blocks round values to codes (docs/QUANTIZATION.md, "Caveat found by the deepseek2 peer tests").</summary>
internal enum Q8Rounding
{
    /// <summary>llama.cpp's reference quantizer: <c>x·(1/d)</c>, halves away from zero. Used for stored weights.</summary>
    Reference,

    /// <summary>
    /// llama.cpp's x86 CPU backend converting activations before a product: <c>x·(127/max|x|)</c>, halves to even.
    /// On rows with exact ties the codes differ from the reference ones, and such a code can tip a MoE router's choice.
    /// </summary>
    Activation,
}
