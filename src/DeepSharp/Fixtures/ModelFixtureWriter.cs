using System.Buffers.Binary;
using DeepSharp.Formats.Gguf;
using DeepSharp.Models;
using DeepSharp.Quantization;

namespace DeepSharp.Fixtures;

/// <summary>
/// Writes random-weight GGUF models that llama.cpp and DeepSharp both load: metadata keys as llama.cpp's
/// converter writes them, a valid byte-level BPE vocabulary, and seeded random tensor data. Speed and logit
/// agreement do not depend on trained weights, so these files stand in for real models in tests and benchmarks.
/// </summary>
public static class ModelFixtureWriter
{
    /// <summary>Writes the fixture described by <paramref name="spec"/> to <paramref name="path"/>.</summary>
    public static void Write(FixtureSpec spec, string path)
    {
        var writer = CreateWriter(spec);
        string temporary = path + ".tmp";
        writer.WriteTo(temporary);
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Builds the writer (metadata and streamed tensors) for <paramref name="spec"/>.</summary>
    public static GgufWriter CreateWriter(FixtureSpec spec)
    {
        if (!RandomBlockWriter.SupportedTypes.Contains(spec.WeightType))
        {
            throw new NotSupportedException($"the fixture generator cannot write weights of type {spec.WeightType}");
        }
        var w = new GgufWriter();
        ModelKeyWriter.AddModelKeys(w, spec.Config, spec.Name, spec.WeightType, spec.KvLayout);
        AddTokenizer(w, spec);
        foreach (var t in FixtureTensorPlan.For(spec))
        {
            AddTensor(w, spec, t);
        }
        return w;
    }

    private static void AddTokenizer(GgufWriter w, FixtureSpec spec)
    {
        if (spec.VocabularyFrom is { } source)
        {
            using var vocabFile = GgufFile.Open(source);
            var tokens = vocabFile.Metadata.GetStringArrayOrNull("tokenizer.ggml.tokens")
                ?? throw new InvalidDataException($"'{source}' has no tokenizer.ggml.tokens");
            if (tokens.Length != spec.Config.VocabSize)
            {
                throw new ArgumentException($"the vocabulary of '{source}' has {tokens.Length} tokens but the model has {spec.Config.VocabSize}");
            }
            foreach (var (key, value) in vocabFile.Metadata.Pairs)
            {
                if (key.StartsWith("tokenizer.", StringComparison.Ordinal) && !(key == "tokenizer.chat_template" && spec.ChatTemplate is not null))
                {
                    w.Add(key, value);
                }
            }
        }
        else
        {
            var vocab = SyntheticVocabulary.Create(spec.Config.VocabSize, spec.Seed);
            w.Add("tokenizer.ggml.model", GgufValue.String("gpt2"));
            w.Add("tokenizer.ggml.pre", GgufValue.String(PreTokenizerName(spec.Config.Architecture)));
            w.Add("tokenizer.ggml.tokens", GgufValue.StringArray(vocab.Tokens));
            w.Add("tokenizer.ggml.token_type", GgufValue.Int32Array(vocab.TokenTypes));
            w.Add("tokenizer.ggml.merges", GgufValue.StringArray(vocab.Merges));
            w.Add("tokenizer.ggml.bos_token_id", GgufValue.UInt32((uint)vocab.BosId));
            w.Add("tokenizer.ggml.eos_token_id", GgufValue.UInt32((uint)vocab.EosId));
            w.Add("tokenizer.ggml.add_bos_token", GgufValue.Bool(true));
            w.Add("tokenizer.ggml.add_eos_token", GgufValue.Bool(false));
        }
        if (spec.ChatTemplate is { } template)
        {
            w.Add("tokenizer.chat_template", GgufValue.String(template));
        }
    }

    private static void AddTensor(GgufWriter w, FixtureSpec spec, PlannedTensor t)
    {
        long elements = t.Dimensions.Aggregate(1L, (a, d) => checked(a * d));
        var rng = FixtureRandom.ForStream(spec.Seed, t.Name);
        switch (t.Role)
        {
            case TensorRole.Norm:
                w.AddTensor(t.Name, t.Dimensions, GgmlType.F32, s => RandomBlockWriter.WriteNormWeights(s, elements, 0.1f, rng));
                break;
            case TensorRole.Bias:
                w.AddTensor(t.Name, t.Dimensions, GgmlType.F32, s => RandomBlockWriter.Write(s, GgmlType.F32, elements, spec.WeightSigma, rng));
                break;
            case TensorRole.RopeFrequencyFactors:
                w.AddTensor(t.Name, t.Dimensions, GgmlType.F32, s => WriteFloats(s, Llama3RopeFactors.Compute(spec.Config.RopeFreqBase, spec.Config.RopeDimensionCount)));
                break;
            case TensorRole.Router:
                w.AddTensor(t.Name, t.Dimensions, GgmlType.F32, s => RandomBlockWriter.Write(s, GgmlType.F32, elements, spec.WeightSigma, rng));
                break;
            default:
                var type = QuantTypeFallback.For(spec.WeightType, t.Dimensions[0]);
                w.AddTensor(t.Name, t.Dimensions, type, s => RandomBlockWriter.Write(s, type, elements, spec.WeightSigma, rng));
                break;
        }
    }

    private static void WriteFloats(Stream stream, float[] values)
    {
        Span<byte> four = stackalloc byte[4];
        foreach (float v in values)
        {
            BinaryPrimitives.WriteSingleLittleEndian(four, v);
            stream.Write(four);
        }
    }

    /// <summary>The pre-tokenizer name a real model of this family carries.</summary>
    public static string PreTokenizerName(ModelArchitecture architecture) => architecture switch
    {
        ModelArchitecture.Llama => "llama-bpe",
        ModelArchitecture.Qwen2 or ModelArchitecture.Qwen3 => "qwen2",
        _ => "deepseek-v3",
    };

    /// <summary>llama.cpp's <c>general.file_type</c> (llama_ftype) for a uniform weight type.</summary>
    public static uint FileType(GgmlType type) => type switch
    {
        GgmlType.F32 => 0,
        GgmlType.F16 => 1,
        GgmlType.Q4_0 => 2,
        GgmlType.Q4_1 => 3,
        GgmlType.Q8_0 => 7,
        GgmlType.Q5_0 => 8,
        GgmlType.Q5_1 => 9,
        GgmlType.Q2_K => 10,
        GgmlType.Q3_K => 12,
        GgmlType.Q4_K => 15,
        GgmlType.Q5_K => 17,
        GgmlType.Q6_K => 18,
        GgmlType.IQ4_NL => 25,
        GgmlType.IQ4_XS => 30,
        GgmlType.BF16 => 32,
        _ => throw new NotSupportedException($"no llama.cpp file type for {type}"),
    };
}
