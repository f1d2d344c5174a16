using System.Runtime.CompilerServices;
using DeepSharp.Chat;
using DeepSharp.Formats.Gguf;
using DeepSharp.Inference;
using DeepSharp.Models;
using DeepSharp.Tokenization;

namespace DeepSharp.Engine;

/// <summary>
/// The text-in, text-out pipeline over one model: chat messages → chat template → token ids → prompt evaluation
/// (reusing the KV cache of the previous request as far as the new prompt repeats it) → sampled tokens →
/// incremental detokenizer → stop strings → reasoning parser → a stream of <see cref="ChatUpdate"/>s.
/// The CLI, the server and the <c>IChatClient</c> adapter all run on it.
/// </summary>
/// <remarks>
/// One engine holds one KV cache, so requests run one at a time (a later request waits for the earlier one).
/// The model's work runs on the thread pool one step at a time; the caller's thread never waits on it.
/// </remarks>
public sealed class ChatEngine : IDisposable
{
    private readonly TransformerModel _model;
    private readonly bool _ownsModel;
    private readonly InferenceSession _session;
    private readonly List<int> _cached = [];    // the tokens in the session's KV cache, in order
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Creates an engine over a loaded model and tokenizer.</summary>
    /// <param name="model">The model.</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="chatTemplate">The chat template source, or null for <see cref="DefaultChatTemplate"/>.</param>
    /// <param name="sessionOptions">KV cache size and the like.</param>
    /// <param name="modelId">A name for the model in responses.</param>
    /// <param name="ownsModel">Whether disposing the engine disposes the model.</param>
    /// <exception cref="ChatTemplateException">The chat template does not parse.</exception>
    public ChatEngine(TransformerModel model, Tokenizer tokenizer, string? chatTemplate = null, SessionOptions? sessionOptions = null, string modelId = "deepsharp", bool ownsModel = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        _model = model;
        _ownsModel = ownsModel;
        Tokenizer = tokenizer;
        UsesDefaultTemplate = chatTemplate is null;
        Prompt = new ChatPromptRenderer(ChatTemplate.Parse(chatTemplate ?? DefaultChatTemplate.Source), tokenizer);
        ModelId = modelId;
        _session = new InferenceSession(model, sessionOptions);
    }

    /// <summary>
    /// Loads the model, tokenizer and chat template of one GGUF file (<see cref="DefaultChatTemplate"/> when it has
    /// none).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="GgufFormatException">The file is not a valid GGUF file.</exception>
    public static ChatEngine Load(string path, SessionOptions? sessionOptions = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"model file '{path}' does not exist", path);
        }
        var file = GgufFile.Open(path);
        try
        {
            var tokenizer = Tokenizer.FromGguf(file);
            string? template = file.Metadata.GetStringOrNull("tokenizer.chat_template");
            string name = file.Metadata.GetStringOrNull("general.name") ?? Path.GetFileNameWithoutExtension(path);
            var model = TransformerModel.Load(file, ownsFile: true);
            try
            {
                return new ChatEngine(model, tokenizer, template, sessionOptions, name, ownsModel: true);
            }
            catch
            {
                model.Dispose();
                throw;
            }
        }
        catch when (DisposeOnFailure(file))
        {
            throw;
        }
    }

    /// <summary>The tokenizer.</summary>
    public Tokenizer Tokenizer { get; }

    /// <summary>The model.</summary>
    public TransformerModel Model => _model;

    /// <summary>Renders and encodes chat prompts.</summary>
    public ChatPromptRenderer Prompt { get; }

    /// <summary>Whether the GGUF had no chat template and <see cref="DefaultChatTemplate"/> is used.</summary>
    public bool UsesDefaultTemplate { get; }

    /// <summary>The model's name (GGUF <c>general.name</c>, else the file name).</summary>
    public string ModelId { get; }

    /// <summary>Positions of the KV cache.</summary>
    public int ContextLength => _session.ContextLength;

    /// <summary>Streams the assistant's reply to <paramref name="messages"/>: reasoning, answer, then a <see cref="ChatUpdateKind.Finished"/> update.</summary>
    /// <exception cref="ContextFullException">The prompt does not fit in the context.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public IAsyncEnumerable<ChatUpdate> ChatAsync(IReadOnlyList<ChatMessage> messages, ChatRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        options ??= new ChatRequestOptions();
        string rendered = Prompt.Render(messages, options.Thinking, options.Tools);
        var parser = ReasoningParser.ForPrompt(rendered, new ReasoningParserOptions { ReasoningBudget = options.ReasoningBudget });
        var stops = UsesDefaultTemplate ? [.. options.StopStrings, .. DefaultChatTemplate.StopStrings] : options.StopStrings;
        return GenerateAsync(Prompt.Encode(rendered), parser, options, stops, cancellationToken);
    }

    /// <summary>Streams a raw continuation of <paramref name="prompt"/> (no chat template; BOS as the model asks): content updates, then <see cref="ChatUpdateKind.Finished"/>.</summary>
    /// <exception cref="ArgumentException">The prompt encodes to no tokens.</exception>
    public IAsyncEnumerable<ChatUpdate> CompleteAsync(string prompt, ChatRequestOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prompt);
        options ??= new ChatRequestOptions();
        int[] ids = Tokenizer.Encode(prompt, addSpecial: true);
        if (ids.Length == 0)
        {
            throw new ArgumentException("the prompt is empty", nameof(prompt));
        }
        return GenerateAsync(ids, null, options, options.StopStrings, cancellationToken);
    }

    /// <summary>Forgets the cached prompt, so the next request is evaluated from the start.</summary>
    public void Reset()
    {
        _gate.Wait();
        try
        {
            _session.Rewind(0);
            _cached.Clear();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_ownsModel)
        {
            _model.Dispose();
        }
        _gate.Dispose();
    }

    private async IAsyncEnumerable<ChatUpdate> GenerateAsync(int[] prompt, ReasoningParser? parser, ChatRequestOptions options, IReadOnlyList<string> stopStrings,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxTokens);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            int reused = ReusablePrefix(prompt);
            _session.Rewind(reused);
            _cached.RemoveRange(reused, _cached.Count - reused);
            IReadOnlyList<int> feed = prompt[reused..];
            _cached.AddRange(feed);

            var detokenizer = Tokenizer.CreateDetokenizer();
            var stops = new StopTextFilter(stopStrings);
            int completion = 0;
            bool injected = false;
            FinishReason finish = FinishReason.Length;
            bool done = options.MaxTokens == 0;
            while (!done)
            {
                var generation = new GenerationOptions
                {
                    MaxTokens = options.MaxTokens - completion,
                    StopTokens = Tokenizer.Vocabulary.EndOfGenerationIds,
                    Sampling = options.Sampling,
                };
                using var steps = TokenGenerator.Generate(_session, feed, generation, cancellationToken).GetEnumerator();
                bool restart = false;
                while (!done && !restart)
                {
                    // One step (the prompt, then one token) on the thread pool: the caller's thread only awaits.
                    if (!await Task.Run(steps.MoveNext, cancellationToken).ConfigureAwait(false))
                    {
                        done = true;
                        break;
                    }
                    var step = steps.Current;
                    completion++;
                    _cached.Add(step.Token);
                    if (step.Finish == FinishReason.StopToken)
                    {
                        finish = FinishReason.StopToken;
                        done = true;
                        break;
                    }
                    foreach (var update in Route(stops.Push(detokenizer.Append(step.Token)), parser))
                    {
                        yield return update;
                    }
                    if (stops.Stopped)
                    {
                        finish = FinishReason.StopString;
                        done = true;
                    }
                    else if (step.Finish is FinishReason reason)
                    {
                        finish = reason;
                        done = true;
                    }
                    else if (!injected && parser is { BudgetExhausted: true })
                    {
                        // Reasoning budget spent: close the think block for the model and let it answer.
                        injected = true;
                        string close = "\n" + parser.EndTag + "\n\n";
                        int[] closeIds = Tokenizer.Encode(close, addSpecial: false, parseSpecial: true);
                        foreach (var update in Route(stops.Push(detokenizer.Flush() + close), parser, 0))
                        {
                            yield return update;
                        }
                        feed = [step.Token, .. closeIds];
                        _cached.AddRange(closeIds);
                        restart = true;
                    }
                }
            }

            foreach (var update in Route(stops.Push(detokenizer.Flush()) + stops.Flush(), parser, 0))
            {
                yield return update;
            }
            if (parser is not null)
            {
                foreach (var delta in parser.Flush())
                {
                    yield return ToUpdate(delta);
                }
            }
            var usage = new ChatUsage(prompt.Length, reused, completion, parser?.ReasoningTokens ?? 0);
            yield return new ChatUpdate(ChatUpdateKind.Finished, "", usage, finish);
        }
        finally
        {
            // Whatever happened (end, error, cancellation), remember exactly what the cache holds.
            _cached.RemoveRange(_session.Position, _cached.Count - _session.Position);
            _gate.Release();
        }
    }

    /// <summary>How many leading prompt tokens the cache already holds; at least one token is always evaluated for fresh logits.</summary>
    private int ReusablePrefix(int[] prompt)
    {
        int limit = Math.Min(Math.Min(_cached.Count, _session.Position), prompt.Length - 1);
        int same = 0;
        while (same < limit && _cached[same] == prompt[same])
        {
            same++;
        }
        return same;
    }

    private static IEnumerable<ChatUpdate> Route(string text, ReasoningParser? parser, int tokenCount = 1)
    {
        if (parser is null)
        {
            return text.Length == 0 ? [] : [new ChatUpdate(ChatUpdateKind.Content, text)];
        }
        return parser.Push(text, tokenCount).Select(ToUpdate);
    }

    private static ChatUpdate ToUpdate(ReasoningDelta delta) =>
        new(delta.Kind == ReasoningDeltaKind.Reasoning ? ChatUpdateKind.Reasoning : ChatUpdateKind.Content, delta.Text);

    private static bool DisposeOnFailure(IDisposable disposable)
    {
        disposable.Dispose();
        return false;
    }
}
