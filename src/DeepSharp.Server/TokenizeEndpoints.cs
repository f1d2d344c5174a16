using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace DeepSharp.Server;

/// <summary>
/// <c>POST /tokenize</c> (<c>{"content": TEXT, "add_special": false, "with_pieces": false}</c> → <c>{"tokens": [...]}</c>) and
/// <c>POST /detokenize</c> (<c>{"tokens": [...]}</c> → <c>{"content": TEXT}</c>), in llama.cpp server's shape.
/// Special-token text in the content is recognised as the special token.
/// </summary>
internal static class TokenizeEndpoints
{
    public static async Task TokenizeAsync(HttpContext context, ServerState state)
    {
        var tokenizer = state.Model.Engine.Tokenizer;
        int[] ids;
        bool withPieces;
        using (var body = await RequestBody.ReadObjectAsync(context, state.Options.MaxBodyBytes).ConfigureAwait(false))
        {
            string content = JsonFields.String(body.RootElement, "content") ?? throw ApiException.Missing("content");
            bool addSpecial = JsonFields.Bool(body.RootElement, "add_special") ?? false;
            withPieces = JsonFields.Bool(body.RootElement, "with_pieces") ?? false;
            ids = tokenizer.Encode(content, addSpecial, parseSpecial: true);
        }
        await InfoEndpoints.JsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("tokens");
            foreach (int id in ids)
            {
                if (withPieces)
                {
                    w.WriteStartObject();
                    w.WriteNumber("id", id);
                    w.WriteString("piece", tokenizer.Decode([id]));
                    w.WriteEndObject();
                }
                else
                {
                    w.WriteNumberValue(id);
                }
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    public static async Task DetokenizeAsync(HttpContext context, ServerState state)
    {
        var tokenizer = state.Model.Engine.Tokenizer;
        var ids = new List<int>();
        using (var body = await RequestBody.ReadObjectAsync(context, state.Options.MaxBodyBytes).ConfigureAwait(false))
        {
            var tokens = JsonFields.Array(body.RootElement, "tokens") ?? throw ApiException.Missing("tokens");
            int count = tokenizer.Vocabulary.Count;
            foreach (var item in tokens.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt32(out int id) || id < 0 || id >= count)
                {
                    throw ApiException.BadParam("tokens", $"'tokens' must hold token ids from 0 to {count - 1}");
                }
                ids.Add(id);
            }
        }
        string text = tokenizer.Decode(ids.ToArray());
        await InfoEndpoints.JsonAsync(context, w =>
        {
            w.WriteStartObject();
            w.WriteString("content", text);
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }
}
