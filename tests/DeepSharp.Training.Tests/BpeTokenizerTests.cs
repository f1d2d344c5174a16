using DeepSharp.Evaluation;
using DeepSharp.Training.Tokenization;

namespace DeepSharp.Training.Tests;

public class BpeTokenizerTests
{
    [Fact]
    public void Round_trips_text_and_keeps_special_tokens_whole()
    {
        var tok = TinyModels.Tokenizer;
        string text = R1Prompt.Render("What is 4821 + 397?") + "1+7+0=8\n</think>\n\n5218" + R1Prompt.Eos;
        var ids = tok.Encode(text);
        Assert.Equal(text, tok.Decode(ids));
        Assert.Equal(tok.BosId, ids[0]);
        Assert.Equal(tok.EosId, ids[^1]);
        Assert.Contains(tok.SpecialId("<think>"), ids);
        Assert.Contains(tok.SpecialId("</think>"), ids);
        Assert.Contains(tok.SpecialId("<｜Assistant｜>"), ids);
    }

    [Fact]
    public void Spells_every_number_one_digit_per_token()
    {
        var tok = TinyModels.Tokenizer;
        var ids = tok.Encode("12345 + 678 = 13023");
        var pieces = ids.Select(i => tok.Decode([i])).ToList();
        Assert.Equal(13, pieces.Count(p => p.Length == 1 && char.IsAsciiDigit(p[0])));
        Assert.DoesNotContain(pieces, p => p.Length > 1 && p.Any(char.IsAsciiDigit));
    }

    [Fact]
    public void Learns_frequent_words_as_single_tokens()
    {
        var tok = TinyModels.Tokenizer;
        Assert.Single(tok.Encode(" is"));
        Assert.Single(tok.Encode("What"));
    }

    [Fact]
    public void Round_trips_non_ascii_text_through_bytes()
    {
        var tok = TinyModels.Tokenizer;
        const string text = "naïve café — 東京 🙂";
        Assert.Equal(text, tok.Decode(tok.Encode(text)));
    }

    [Fact]
    public void Rejects_merges_that_use_unknown_tokens()
    {
        Assert.Throws<ArgumentException>(() => new BpeTokenizer(["ab c"]));
    }

    [Fact]
    public void Training_is_deterministic()
    {
        string[] texts = [TinyModels.Prose, TinyModels.Prose.ToUpperInvariant()];
        Assert.Equal(BpeTrainer.Train(texts, 300).Merges, BpeTrainer.Train(texts, 300).Merges);
    }
}
