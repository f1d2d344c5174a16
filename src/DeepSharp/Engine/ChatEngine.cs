using System.Runtime.CompilerServices;
using DeepSharp.Chat;
using DeepSharp.Formats.Gguf;
using DeepSharp.Inference;
using DeepSharp.Models;
using DeepSharp.Tokenization;

namespace DeepSharp.Engine;

/// <summary>
/// The text-in, text-out pipeline over one model: chat messages → chat template → token ids → a slot of the
/// continuous-batching scheduler (reusing the KV rows of the longest cached prefix of the prompt) → sampled tokens →
/// incremental detokenizer → stop strings → reasoning parser → a stream of <see cref="ChatUpdate"/>s.
/// The CLI, the server and the <c>IChatClient</c> adapter all run on it.
/// </summary>
/// <remarks>
/// <see cref="EngineOptions.ParallelSlots"/> requests run at once, stepped together in one batched forward pass per
/// token on a background thread; more wait in a bounded queue (beyond it, <see cref="EngineBusyException"/>). With one
/// slot (the default) requests run one at a time. Thread-safe: any number of callers may stream at once.
/// </remarks>
public sealed class ChatEngine : IDisposable
{
    private readonly TransformerModel _model;
    private readonly bool _ownsModel;
    private readonly BatchScheduler _scheduler;

    /// <summary>Creates an engine over a loaded model and tokenizer.</summary>
    /// <param name="model">The model.</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="chatTemplate">The chat template source, or null for <see cref="DefaultChatTemplate"/>.</param>
    /// <param name="sessionOptions">KV cache size and the like (one slot).</param>
    /// <param name="modelId">A name for the model in responses.</param>
    /// <param name="ownsModel">Whether disposing the engine disposes the model.</param>
    /// <exception cref="ChatTemplateException">The chat template does not parse.</exception>
    public ChatEngine(TransformerModel model, Tokenizer tokenizer, string? chatTemplate = null, SessionOptions? sessionOptions = null, string modelId = "deepsharp", bool ownsModel = false)
        : this(model, tokenizer, new EngineOptions { Session = sessionOptions ?? new SessionOptions() }, chatTemplate, modelId, ownsModel)
    {
    }

    /// <summary>Creates an engine over a loaded model and tokenizer with scheduling and prefix-cache settings.</summary>
    /// <param name="model">The model.</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="options">Slots, queue, context per slot and prefix cache.</param>
    /// <param name="chatTemplate">The chat template source, or null for <see cref="DefaultChatTemplate"/>.</param>
    /// <param name="modelId">A name for the model in responses.</param>
    /// <param name="ownsModel">Whether disposing the engine disposes the model.</param>
    /// <exception cref="ChatTemplateException">The chat template does not parse.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public ChatEngine(TransformerModel model, Tokenizer tokenizer, EngineOptions options, string? chatTemplate = null, string modelId = "deepsharp", bool ownsModel = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(options);
        _model = model;
        _ownsModel = ownsModel;
        Tokenizer = tokenizer;
        UsesDefaultTemplate = chatTemplate is null;
        Prompt = new ChatPromptRenderer(ChatTemplate.Parse(chatTemplate ?? DefaultChatTemplate.Source), tokenizer);
        ModelId = modelId;
        Options = options;
        _scheduler = new BatchScheduler(model, options);
    }

    /// <summary>
    /// Loads the model, tokenizer and chat template of one GGUF file (<see cref="DefaultChatTemplate"/> when it has
    /// none).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="GgufFormatException">The file is not a valid GGUF file.</exception>
    public static ChatEngine Load(string path, SessionOptions? sessionOptions = null) =>
        Load(path, new EngineOptions { Session = sessionOptions ?? new SessionOptions() });

    /// <summary>Loads one GGUF file (see <see cref="Load(string, SessionOptions?)"/>) into an engine with <paramref name="options"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="GgufFormatException">The file is not a valid GGUF file.</exception>
    public static ChatEngine Load(string path, EngineOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(options);
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
                return new ChatEngine(model, tokenizer, options, template, name, ownsModel: true);
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

    /// <summary>The engine's settings.</summary>
    public EngineOptions Options { get; }

    /// <summary>Positions of the KV cache of each slot: the longest prompt plus reply one request can have.</summary>
    public int ContextLength => _scheduler.ContextLength;

    /// <summary>A snapshot of load and counters (thread-safe).</summary>
    public EngineStatistics Statistics => _scheduler.Statistics();

    /// <summary>Streams the assistant's reply to <paramref name="messages"/>: reasoning, answer, then a <see cref="ChatUpdateKind.Finished"/> update.</summary>
    /// <exception cref="ContextFullException">The prompt does not fit in the context.</exception>
    /// <exception cref="EngineBusyException">Every slot is busy and the wait queue is full (thrown when enumeration starts).</exception>
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
    /// <exception cref="EngineBusyException">Every slot is busy and the wait queue is full (thrown when enumeration starts).</exception>
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

    /// <summary>Forgets the cached prompts (the idle slots' and the kept prefixes in memory), so the next request is evaluated from the start.</summary>
    public void Reset() => _scheduler.Reset();

    /// <summary>Ends the scheduler (requests still running fail with <see cref="ObjectDisposedException"/>), writes kept prefixes to the prefix cache folder, and disposes the model if the engine owns it.</summary>
    public void Dispose()
    {
        _scheduler.Dispose();
        if (_ownsModel)
        {
            _model.Dispose();
        }
    }

    private async IAsyncEnumerable<ChatUpdate> GenerateAsync(int[] prompt, ReasoningParser? parser, ChatRequestOptions options, IReadOnlyList<string> stopStrings,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxTokens);
        ArgumentOutOfRangeException.ThrowIfNegative(options.TopLogprobs);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.TopLogprobs, ChatRequestOptions.MaxTopLogprobs);
        cancellationToken.ThrowIfCancellationRequested();
        if (prompt.Length > ContextLength)
        {
            throw new ContextFullException(0, prompt.Length, ContextLength);
        }
        if (options.MaxTokens == 0)
        {
            yield return new ChatUpdate(ChatUpdateKind.Finished, "", new ChatUsage(prompt.Length, 0, 0, 0), FinishReason.Length);
            yield break;
        }
        var reply = new ReplyStream(Tokenizer, parser, stopStrings, prompt.Length, cancellationToken);
        var request = new SequenceRequest(prompt, options.Sampling, options.MaxTokens, Tokenizer.Vocabulary.EndOfGenerationIds,
            options.Logprobs ? Math.Min(options.TopLogprobs, _model.VocabSize) : 0, options.Logprobs, reply);
        _scheduler.Submit(request);
        try
        {
            using var registration = cancellationToken.Register(() => _scheduler.Cancel(request));
            await foreach (var update in reply.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }
        }
        finally
        {
            // Finished, failed, cancelled or abandoned by the caller: the slot must not run on for nobody.
            _scheduler.Cancel(request);
        }
    }

    private static bool DisposeOnFailure(IDisposable disposable)
    {
        disposable.Dispose();
        return false;
    }
}
