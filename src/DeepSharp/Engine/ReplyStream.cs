using System.Text;
using System.Threading.Channels;
using DeepSharp.Chat;
using DeepSharp.Inference;
using DeepSharp.Tokenization;

namespace DeepSharp.Engine;

/// <summary>
/// The text side of one request: sampled ids → incremental detokenizer → stop strings → reasoning parser →
/// <see cref="ChatUpdate"/>s on a channel the caller reads. Runs on the scheduler's loop thread, token by token, so
/// a stop string ends generation at once and a spent reasoning budget can feed the closing tag before the next step.
/// </summary>
internal sealed class ReplyStream : ISequenceSink
{
    private readonly Channel<ChatUpdate> _channel = Channel.CreateUnbounded<ChatUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly Tokenizer _tokenizer;
    private readonly IncrementalDetokenizer _detokenizer;
    private readonly StopTextFilter _stops;
    private readonly ReasoningParser? _parser;
    private readonly int _promptTokens;
    private readonly CancellationToken _cancellationToken;
    private readonly List<TokenLogprob> _logprobs = [];
    private int _cachedTokens;
    private bool _injected;

    public ReplyStream(Tokenizer tokenizer, ReasoningParser? parser, IReadOnlyList<string> stopStrings, int promptTokens, CancellationToken cancellationToken)
    {
        _tokenizer = tokenizer;
        _detokenizer = tokenizer.CreateDetokenizer();
        _stops = new StopTextFilter(stopStrings);
        _parser = parser;
        _promptTokens = promptTokens;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The updates, ending with a <see cref="ChatUpdateKind.Finished"/> one (or the error that ended the request).</summary>
    public ChannelReader<ChatUpdate> Reader => _channel.Reader;

    public void Started(int cachedTokens) => _cachedTokens = cachedTokens;

    public TokenVerdict Token(int token, SampledLogprobs? logprobs, bool endOfGeneration, FinishReason? limit)
    {
        if (endOfGeneration)
        {
            return TokenVerdict.Continue;
        }
        if (logprobs is not null)
        {
            _logprobs.Add(ToLogprob(token, logprobs.Logprob, [.. logprobs.TopIds.Zip(logprobs.TopLogprobs, (id, lp) => ToLogprob(id, lp, []))]));
        }
        Emit(Route(_stops.Push(_detokenizer.Append(token)), 1));
        if (_stops.Stopped)
        {
            return new TokenVerdict(FinishReason.StopString, null);
        }
        if (limit is null && !_injected && _parser is { BudgetExhausted: true })
        {
            // Reasoning budget spent: close the think block for the model and let it answer.
            _injected = true;
            string close = "\n" + _parser.EndTag + "\n\n";
            int[] closeIds = _tokenizer.Encode(close, addSpecial: false, parseSpecial: true);
            Emit(Route(_stops.Push(_detokenizer.Flush() + close), 0));
            return new TokenVerdict(null, closeIds);
        }
        return TokenVerdict.Continue;
    }

    public void Finished(FinishReason reason, int completionTokens)
    {
        Emit(Route(_stops.Push(_detokenizer.Flush()) + _stops.Flush(), 0));
        if (_parser is not null)
        {
            Emit(_parser.Flush().Select(ToUpdate));
        }
        var usage = new ChatUsage(_promptTokens, _cachedTokens, completionTokens, _parser?.ReasoningTokens ?? 0);
        Emit([new ChatUpdate(ChatUpdateKind.Finished, "", usage, reason)]);
        _channel.Writer.TryComplete();
    }

    public void Cancelled() => _channel.Writer.TryComplete(new OperationCanceledException("the request was cancelled", _cancellationToken));

    public void Failed(Exception error) => _channel.Writer.TryComplete(error);

    /// <summary>Writes the updates; the log-probabilities gathered since the last update ride on the first.</summary>
    private void Emit(IEnumerable<ChatUpdate> updates)
    {
        foreach (var update in updates)
        {
            var next = update;
            if (_logprobs.Count > 0)
            {
                next = update with { Logprobs = [.. _logprobs] };
                _logprobs.Clear();
            }
            _channel.Writer.TryWrite(next);
        }
    }

    private IEnumerable<ChatUpdate> Route(string text, int tokenCount)
    {
        if (_parser is null)
        {
            return text.Length == 0 ? [] : [new ChatUpdate(ChatUpdateKind.Content, text)];
        }
        return _parser.Push(text, tokenCount).Select(ToUpdate);
    }

    private static ChatUpdate ToUpdate(ReasoningDelta delta) =>
        new(delta.Kind == ReasoningDeltaKind.Reasoning ? ChatUpdateKind.Reasoning : ChatUpdateKind.Content, delta.Text);

    private TokenLogprob ToLogprob(int token, float logprob, IReadOnlyList<TokenLogprob> top)
    {
        byte[] bytes = _tokenizer.Vocabulary.GetTokenBytes(token).ToArray();
        return new TokenLogprob(token, Encoding.UTF8.GetString(bytes), bytes, logprob, top);
    }
}
