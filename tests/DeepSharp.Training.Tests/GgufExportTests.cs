using DeepSharp.Fixtures;
using DeepSharp.Formats.Gguf;
using DeepSharp.Models;
using DeepSharp.Quantization;
using DeepSharp.Training.Export;
using TorchSharp;

namespace DeepSharp.Training.Tests;

public sealed class GgufExportTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("deepsharp-export-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData(MlaKvLayout.Split)]
    [InlineData(MlaKvLayout.Merged)]
    public void Writes_the_fixture_plan_layout_and_reads_back_the_same_model(MlaKvLayout layout)
    {
        torch.set_num_threads(1);
        var model = TinyModels.Randomized(11);
        string path = Path.Combine(_dir, $"m-{layout}.gguf");
        GgufExporter.Write(model, TinyModels.Tokenizer, path, layout);

        using (var file = GgufFile.Open(path))
        {
            var config = GgufModelConfigReader.Read(file);
            Assert.Equal(model.Config.Mla, config.Mla);
            Assert.Equal(model.Config.Moe, config.Moe);
            Assert.Equal(model.Config.LayerCount, config.LayerCount);
            var plan = FixtureTensorPlan.For(new FixtureSpec("x", model.Config, GgmlType.F32) { KvLayout = layout, RouterBias = true });
            Assert.Equal(plan.Select(t => t.Name), file.Tensors.Select(t => t.Name));
            Assert.Equal(plan.Select(t => string.Join(",", t.Dimensions)), file.Tensors.Select(t => string.Join(",", t.Dimensions)));
            Assert.Equal("qwen2", file.Metadata.GetStringOrNull("tokenizer.ggml.pre"));
            Assert.Equal(TinyModels.Tokenizer.Tokens, file.Metadata.GetStringArrayOrNull("tokenizer.ggml.tokens"));
            Assert.Contains("<think>", file.Metadata.GetStringOrNull("tokenizer.chat_template"));
            Assert.Equal(layout == MlaKvLayout.Split, file.Metadata.Contains("deepseek2.attention.key_length_mla"));
        }

        var (loaded, tokenizer) = GgufImporter.Load(path);
        Assert.Equal(TinyModels.Tokenizer.Merges, tokenizer.Merges);
        var ids = TinyModels.Tokenizer.Encode(TinyModels.Prose)[..40];
        var expected = TinyModels.Logits(model, ids);
        var actual = TinyModels.Logits(loaded, ids);
        for (int t = 0; t < ids.Count; t++)
        {
            Assert.Equal(expected[t], actual[t]);
        }
    }

    [Fact]
    public void Split_k_b_holds_each_heads_key_rows_transposed()
    {
        var model = TinyModels.Randomized(12);
        var mla = model.Config.Mla!;
        var split = GgufExporter.Collect(model, MlaKvLayout.Split);
        var merged = GgufExporter.Collect(model, MlaKvLayout.Merged);
        float[] kvb = merged["blk.0.attn_kv_b.weight"], kb = split["blk.0.attn_k_b.weight"], vb = split["blk.0.attn_v_b.weight"];
        int lkv = mla.KvLoraRank, dn = mla.NopeHeadDim, dv = mla.ValueHeadDim, rows = dn + dv;
        // kv_b row (h·(dn+dv) + d) column c  ==  k_b[h][c][d]  (ne {dn, Lkv, H});  V row (h·(dn+dv) + dn + v) == v_b[h][v][c].
        for (int h = 0; h < model.Config.HeadCount; h++)
        {
            for (int c = 0; c < lkv; c += 7)
            {
                for (int d = 0; d < dn; d += 5)
                {
                    Assert.Equal(kvb[(((h * rows) + d) * lkv) + c], kb[(((h * lkv) + c) * dn) + d]);
                }
                for (int v = 0; v < dv; v += 5)
                {
                    Assert.Equal(kvb[(((h * rows) + dn + v) * lkv) + c], vb[(((h * dv) + v) * lkv) + c]);
                }
            }
        }
    }

    [Fact]
    public void F16_export_stays_close_to_the_f32_model()
    {
        var model = TinyModels.Randomized(13);
        string path = Path.Combine(_dir, "h.gguf");
        GgufExporter.Write(model, TinyModels.Tokenizer, path, MlaKvLayout.Split, GgmlType.F16);
        using (var file = GgufFile.Open(path))
        {
            Assert.Equal(GgmlType.F16, file.GetTensor("blk.1.ffn_up_exps.weight").Type);
            Assert.Equal(GgmlType.F32, file.GetTensor("blk.1.exp_probs_b.bias").Type);
        }
        var (loaded, _) = GgufImporter.Load(path);
        var ids = TinyModels.Tokenizer.Encode("What is 123 + 45?");
        var a = TinyModels.Logits(model, ids);
        var b = TinyModels.Logits(loaded, ids);
        double worst = a.Zip(b, (x, y) => x.Zip(y, (p, q) => Math.Abs(p - q)).Max()).Max();
        double scale = a.SelectMany(x => x).Max(Math.Abs);
        Assert.True(worst < 0.02 * scale, $"f16 logits differ by {worst} (scale {scale})");
    }
}
