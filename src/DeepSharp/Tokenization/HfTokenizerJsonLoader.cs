using System.Text.Json;
using DeepSharp.Tokenization.PreTokenizers;

namespace DeepSharp.Tokenization;

/// <summary>
/// Builds a <see cref="Tokenizer"/> from a Hugging Face <c>tokenizer.json</c> (byte-level BPE model, added
/// tokens, normaliser, <c>Sequence</c> of <c>Split</c> pre-tokenizers recognised by their patterns, post-processor)
/// and, when present, <c>tokenizer_config.json</c>, whose <c>add_bos_token</c>/<c>add_eos_token</c> and
/// <c>bos_token</c>/<c>eos_token</c> override what <c>tokenizer.json</c> implies (DeepSeek-V3's
/// <c>tokenizer.json</c> never adds BOS by itself, its config does).
/// </summary>
internal static class HfTokenizerJsonLoader
{
    public static Tokenizer Load(string tokenizerJsonPath, string? tokenizerConfigPath)
    {
        using var stream = File.OpenRead(tokenizerJsonPath);
        using var json = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
        JsonDocument? config = null;
        try
        {
            if (tokenizerConfigPath is not null)
            {
                using var configStream = File.OpenRead(tokenizerConfigPath);
                config = JsonDocument.Parse(configStream);
            }
            return Load(json.RootElement, config?.RootElement, tokenizerJsonPath);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"{tokenizerJsonPath}: {e.Message}", e);
        }
        finally
        {
            config?.Dispose();
        }
    }

    private static Tokenizer Load(JsonElement root, JsonElement? config, string source)
    {
        var model = Property(root, "model", source);
        string modelType = model.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "BPE";
        if (modelType != "BPE")
        {
            throw new NotSupportedException($"{source}: model type '{modelType}' is not supported; DeepSharp reads byte-level BPE");
        }
        if (IsTrue(model, "byte_fallback") || NonEmptyString(model, "continuing_subword_prefix")
            || NonEmptyString(model, "end_of_word_suffix") || (model.TryGetProperty("dropout", out var d) && d.ValueKind == JsonValueKind.Number))
        {
            throw new NotSupportedException($"{source}: BPE options byte_fallback, continuing_subword_prefix, end_of_word_suffix and dropout are not supported");
        }

        var (tokens, types) = ReadTokens(root, model, source);
        var merges = ReadMerges(Property(model, "merges", source), source);
        var preTokenizer = ReadPreTokenizer(root, source);
        var normalization = ReadNormalization(root, source);
        CheckDecoder(root, source);

        var special = ReadSpecialTokens(root, config, tokens, source);
        var vocabulary = new Vocabulary(tokens, types, special, addedTokensAreByteLevel: true);
        return new Tokenizer(vocabulary, merges, preTokenizer, IsTrue(model, "ignore_merges"), normalization);
    }

    private static (string[] Tokens, TokenType[] Types) ReadTokens(JsonElement root, JsonElement model, string source)
    {
        var byId = new Dictionary<int, (string Text, TokenType Type)>();
        foreach (var entry in Property(model, "vocab", source).EnumerateObject())
        {
            int id = entry.Value.GetInt32();
            if (id < 0 || !byId.TryAdd(id, (entry.Name, TokenType.Normal)))
            {
                throw new InvalidDataException($"{source}: vocabulary id {id} is negative or used twice");
            }
        }
        if (root.TryGetProperty("added_tokens", out var added) && added.ValueKind == JsonValueKind.Array)
        {
            foreach (var token in added.EnumerateArray())
            {
                int id = Property(token, "id", source).GetInt32();
                string content = Property(token, "content", source).GetString() ?? "";
                if (IsTrue(token, "lstrip") || IsTrue(token, "rstrip") || IsTrue(token, "single_word"))
                {
                    throw new NotSupportedException($"{source}: added token '{content}' uses lstrip/rstrip/single_word, which DeepSharp does not implement");
                }
                if (id < 0)
                {
                    throw new InvalidDataException($"{source}: added token '{content}' has negative id {id}");
                }
                if (byId.TryGetValue(id, out var existing) && existing.Text != content)
                {
                    throw new InvalidDataException($"{source}: added token '{content}' has id {id}, which the vocabulary gives to '{existing.Text}'");
                }
                byId[id] = (content, IsTrue(token, "special") ? TokenType.Control : TokenType.UserDefined);
            }
        }
        if (byId.Count == 0)
        {
            throw new InvalidDataException($"{source}: the vocabulary is empty");
        }
        int count = byId.Keys.Max() + 1;
        var tokens = new string[count];
        var types = new TokenType[count];
        for (int i = 0; i < count; i++)
        {
            // Ids nowhere in the file become unused placeholders, as llama.cpp's converter names them.
            (tokens[i], types[i]) = byId.TryGetValue(i, out var v) ? v : ($"[PAD{i}]", TokenType.Unused);
        }
        return (tokens, types);
    }

    private static (string, string)[] ReadMerges(JsonElement merges, string source)
    {
        var result = new (string, string)[merges.GetArrayLength()];
        int i = 0;
        foreach (var merge in merges.EnumerateArray())
        {
            if (merge.ValueKind == JsonValueKind.Array && merge.GetArrayLength() == 2)
            {
                result[i] = (merge[0].GetString() ?? "", merge[1].GetString() ?? "");
            }
            else
            {
                string line = merge.GetString() ?? "";
                int space = line.IndexOf(' ');
                if (space < 0)
                {
                    throw new InvalidDataException($"{source}: merge {i} ('{line}') is not two tokens separated by a space");
                }
                result[i] = (line[..space], line[(space + 1)..]);
            }
            i++;
        }
        return result;
    }

    private static PreTokenizer ReadPreTokenizer(JsonElement root, string source)
    {
        if (!root.TryGetProperty("pre_tokenizer", out var pre) || pre.ValueKind != JsonValueKind.Object)
        {
            throw new NotSupportedException($"{source}: no pre_tokenizer; DeepSharp needs a byte-level pre-tokenizer");
        }
        var steps = TypeOf(pre) == "Sequence" ? Property(pre, "pretokenizers", source).EnumerateArray().ToList() : [pre];
        var patterns = new List<string>();
        bool byteLevel = false;
        foreach (var step in steps)
        {
            switch (TypeOf(step))
            {
                case "Split" when !byteLevel:
                    if ((step.TryGetProperty("behavior", out var b) ? b.GetString() : null) != "Isolated" || IsTrue(step, "invert"))
                    {
                        throw new NotSupportedException($"{source}: only Split pre-tokenizers with behavior 'Isolated' are supported");
                    }
                    var pattern = Property(step, "pattern", source);
                    patterns.Add(pattern.TryGetProperty("Regex", out var regex)
                        ? regex.GetString() ?? ""
                        : throw new NotSupportedException($"{source}: Split with a plain string pattern is not supported"));
                    break;
                case "ByteLevel" when !byteLevel:
                    if (IsTrue(step, "add_prefix_space"))
                    {
                        throw new NotSupportedException($"{source}: ByteLevel add_prefix_space is not supported");
                    }
                    // use_regex (default true) is GPT-2's own split.
                    if (!step.TryGetProperty("use_regex", out var useRegex) || useRegex.ValueKind == JsonValueKind.True)
                    {
                        patterns.Add("'s|'t|'re|'ve|'m|'ll|'d| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+(?!\\S)|\\s+");
                    }
                    byteLevel = true;
                    break;
                default:
                    throw new NotSupportedException($"{source}: pre-tokenizer step '{TypeOf(step)}' is not supported here");
            }
        }
        if (!byteLevel)
        {
            throw new NotSupportedException($"{source}: the pre-tokenizer has no ByteLevel step, so this is not a byte-level BPE tokenizer");
        }
        return PreTokenizerRegistry.FromPatterns(patterns) ?? throw new NotSupportedException(
            $"{source}: the pre-tokenizer splits on patterns that match none of DeepSharp's pre-tokenizers " +
            $"({string.Join(", ", PreTokenizer.SupportedNames)}): {string.Join(" ; ", patterns)}");
    }

    private static TextNormalization ReadNormalization(JsonElement root, string source)
    {
        if (!root.TryGetProperty("normalizer", out var normalizer) || normalizer.ValueKind == JsonValueKind.Null)
        {
            return TextNormalization.None;
        }
        var kinds = new List<string>();
        Flatten(normalizer);
        return kinds.Count switch
        {
            0 => TextNormalization.None,
            1 when kinds[0] == "NFC" => TextNormalization.Nfc,
            _ => throw new NotSupportedException($"{source}: normalizer {string.Join(" + ", kinds)} is not supported (only NFC)"),
        };

        void Flatten(JsonElement n)
        {
            if (TypeOf(n) == "Sequence")
            {
                foreach (var inner in Property(n, "normalizers", source).EnumerateArray())
                {
                    Flatten(inner);
                }
            }
            else
            {
                kinds.Add(TypeOf(n));
            }
        }
    }

    private static void CheckDecoder(JsonElement root, string source)
    {
        if (!root.TryGetProperty("decoder", out var decoder) || TypeOf(decoder) != "ByteLevel")
        {
            throw new NotSupportedException($"{source}: the decoder must be ByteLevel");
        }
    }

    private static SpecialTokenSettings ReadSpecialTokens(JsonElement root, JsonElement? config, string[] tokens, string source)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < tokens.Length; i++)
        {
            ids[tokens[i]] = i;
        }
        int? IdOf(string? text) => text is null ? null
            : ids.TryGetValue(text, out int id) ? id
            : throw new InvalidDataException($"{source}: special token '{text}' is not in the vocabulary");

        // What the post-processor adds around a single sequence.
        int? templateBos = null, templateEos = null;
        if (root.TryGetProperty("post_processor", out var post) && post.ValueKind == JsonValueKind.Object)
        {
            var processors = TypeOf(post) == "Sequence" ? Property(post, "processors", source).EnumerateArray().ToList() : [post];
            foreach (var p in processors.Where(p => TypeOf(p) == "TemplateProcessing"))
            {
                var single = Property(p, "single", source).EnumerateArray().ToList();
                templateBos = single.Count > 0 && single[0].TryGetProperty("SpecialToken", out var first) ? IdOf(first.GetProperty("id").GetString()) : null;
                templateEos = single.Count > 1 && single[^1].TryGetProperty("SpecialToken", out var last) ? IdOf(last.GetProperty("id").GetString()) : null;
            }
        }

        bool? addBos = null, addEos = null;
        int? bos = templateBos, eos = templateEos, pad = null, unk = null;
        if (config is { } c)
        {
            addBos = c.TryGetProperty("add_bos_token", out var ab) && ab.ValueKind is JsonValueKind.True or JsonValueKind.False ? ab.GetBoolean() : null;
            addEos = c.TryGetProperty("add_eos_token", out var ae) && ae.ValueKind is JsonValueKind.True or JsonValueKind.False ? ae.GetBoolean() : null;
            bos = IdOf(TokenText(c, "bos_token")) ?? bos;
            eos = IdOf(TokenText(c, "eos_token")) ?? eos;
            pad = IdOf(TokenText(c, "pad_token"));
            unk = IdOf(TokenText(c, "unk_token"));
        }
        return new SpecialTokenSettings
        {
            Bos = bos,
            Eos = eos,
            Pad = pad,
            Unknown = unk,
            AddBos = addBos ?? templateBos is not null,
            AddEos = addEos ?? templateEos is not null,
        };
    }

    // A special token in tokenizer_config.json is a string or an AddedToken object with "content".
    private static string? TokenText(JsonElement config, string name) =>
        !config.TryGetProperty(name, out var v) ? null : v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Object when v.TryGetProperty("content", out var content) => content.GetString(),
            _ => null,
        };

    private static JsonElement Property(JsonElement element, string name, string source) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value
            : throw new InvalidDataException($"{source}: missing \"{name}\"");

    private static string TypeOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("type", out var t) ? t.GetString() ?? "" : "";

    private static bool IsTrue(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static bool NonEmptyString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0;
}
