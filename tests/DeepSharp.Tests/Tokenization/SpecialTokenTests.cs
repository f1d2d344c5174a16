using DeepSharp.Tokenization;

namespace DeepSharp.Tests.Tokenization;

/// <summary>Added tokens, the parse-special switch, and the BOS/EOS rules each model file states.</summary>
public sealed class SpecialTokenTests
{
    [Fact]
    public void ControlTokensInTextAreParsedOnlyWhenAsked()
    {
        var qwen = TokenizerFixtures.Hf("qwen3");
        const int imEnd = 151645;
        Assert.Equal([imEnd], qwen.Encode("<|im_end|>", addSpecial: false, parseSpecial: true));

        int[] literal = qwen.Encode("<|im_end|>", addSpecial: false, parseSpecial: false);
        Assert.DoesNotContain(imEnd, literal);
        Assert.Equal("<|im_end|>", qwen.Decode(literal));
    }

    [Fact]
    public void UserDefinedTokensAreAlwaysParsed()
    {
        // Qwen3's <think> is an added token with special = false: matched even in untrusted text.
        var qwen = TokenizerFixtures.Hf("qwen3");
        Assert.Equal([151667], qwen.Encode("<think>", addSpecial: false, parseSpecial: false));
        Assert.Equal(TokenType.UserDefined, qwen.Vocabulary.GetTokenType(151667));
    }

    [Fact]
    public void LongestTokenWinsAtEachPosition()
    {
        var llama = TokenizerFixtures.Gguf("ggml-vocab-llama-bpe.gguf");
        // <|reserved_special_token_1|> and <|reserved_special_token_10|> share a prefix.
        int id1 = IdOf(llama, "<|reserved_special_token_1|>"), id10 = IdOf(llama, "<|reserved_special_token_10|>");
        Assert.Equal([id10, id1], llama.Encode("<|reserved_special_token_10|><|reserved_special_token_1|>", addSpecial: false, parseSpecial: true));
        int[] eot = llama.Encode("x<|eot_id|>y", addSpecial: false, parseSpecial: true);
        Assert.Equal(IdOf(llama, "<|eot_id|>"), eot[1]);
        Assert.Equal(3, eot.Length);
    }

    [Fact]
    public void DeepSeekV3TakesBosFromTokenizerConfig()
    {
        // tokenizer.json's post-processor adds nothing; tokenizer_config.json says add_bos_token = true.
        var v3 = TokenizerFixtures.Hf("deepseek_v3");
        Assert.True(v3.Vocabulary.AddBos);
        Assert.False(v3.Vocabulary.AddEos);
        Assert.Equal(0, v3.Vocabulary.BosId);
        Assert.Equal(1, v3.Vocabulary.EosId);
        Assert.Equal("<｜begin▁of▁sentence｜>", v3.Vocabulary.GetToken(0));
        Assert.Equal([0, .. v3.Encode("Hi", addSpecial: false)], v3.Encode("Hi", addSpecial: true));
        Assert.Contains(1, v3.Vocabulary.EndOfGenerationIds);
        // The DeepSeek chat markers and tool tokens are single tokens.
        Assert.Equal([128803, 128804], v3.Encode("<｜User｜><｜Assistant｜>", addSpecial: false, parseSpecial: true));
        Assert.Equal([128806], v3.Encode("<｜tool▁calls▁begin｜>", addSpecial: false, parseSpecial: true));
    }

    [Fact]
    public void Llama31AndQwen3FollowTheirFiles()
    {
        var llama = TokenizerFixtures.Hf("llama3_1");
        Assert.True(llama.Vocabulary.AddBos); // from the TemplateProcessing post-processor
        Assert.Equal(128000, llama.Vocabulary.BosId);
        Assert.Equal(128009, llama.Vocabulary.EosId); // tokenizer_config.json: eos_token <|eot_id|>
        Assert.Contains(128001, llama.Vocabulary.EndOfGenerationIds); // <|end_of_text|>
        Assert.True(llama.IgnoreMerges);

        var qwen = TokenizerFixtures.Hf("qwen3");
        Assert.False(qwen.Vocabulary.AddBos);
        Assert.Null(qwen.Vocabulary.BosId);
        Assert.Equal(151645, qwen.Vocabulary.EosId);
        Assert.Contains(151643, qwen.Vocabulary.EndOfGenerationIds); // <|endoftext|>
        Assert.Equal(TextNormalization.Nfc, qwen.Normalization);
        Assert.Equal("qwen2", qwen.PreTokenizer.Name);
    }

    [Fact]
    public void DecodeCanSkipSpecialTokens()
    {
        var v3 = TokenizerFixtures.Hf("deepseek_v3");
        int[] ids = v3.Encode("Hello<｜end▁of▁sentence｜>", addSpecial: true, parseSpecial: true);
        Assert.Equal("<｜begin▁of▁sentence｜>Hello<｜end▁of▁sentence｜>", v3.Decode(ids));
        Assert.Equal("Hello", v3.Decode(ids, skipSpecial: true));
    }

    [Fact]
    public void EncodingIsThreadSafe()
    {
        var tokenizer = TokenizerFixtures.Hf("deepseek_v3");
        var texts = MultilingualCorpus.Texts;
        var expected = texts.Select(t => tokenizer.Encode(t, addSpecial: false, parseSpecial: true)).ToArray();
        Parallel.For(0, texts.Count * 8, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            Assert.Equal(expected[i % texts.Count], tokenizer.Encode(texts[i % texts.Count], addSpecial: false, parseSpecial: true)));
    }

    private static int IdOf(Tokenizer tokenizer, string token) =>
        tokenizer.Vocabulary.TryGetId(token, out int id) ? id : throw new KeyNotFoundException(token);
}
