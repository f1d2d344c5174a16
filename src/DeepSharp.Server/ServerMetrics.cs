using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using DeepSharp.Engine;

namespace DeepSharp.Server;

/// <summary>
/// What <c>GET /metrics</c> reports, in the Prometheus text format: requests by endpoint and status, tokens,
/// prompt-cache hits, cancelled requests, slot and queue use, and latency histograms.
/// </summary>
internal sealed class ServerMetrics
{
    private static readonly double[] s_latencyBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

    private readonly ConcurrentDictionary<(string Endpoint, int Status), long> _requests = new();
    private readonly Histogram _duration = new("deepsharp_request_duration_seconds", "Time from request to the end of the response.", s_latencyBounds);
    private readonly Histogram _firstToken = new("deepsharp_time_to_first_token_seconds", "Time from request to the first generated text.", s_latencyBounds);
    private readonly Histogram _queueWait = new("deepsharp_queue_wait_seconds", "Time a request waited for a free slot.", s_latencyBounds);
    private long _promptTokens;
    private long _cachedPromptTokens;
    private long _completionTokens;
    private long _reasoningTokens;
    private long _cancelled;

    /// <summary>Counts one finished request.</summary>
    public void RecordRequest(string endpoint, int status, TimeSpan duration)
    {
        _requests.AddOrUpdate((endpoint, status), 1, (_, n) => n + 1);
        _duration.Observe(duration.TotalSeconds);
    }

    public void RecordUsage(ChatUsage usage)
    {
        Interlocked.Add(ref _promptTokens, usage.PromptTokens);
        Interlocked.Add(ref _cachedPromptTokens, usage.CachedPromptTokens);
        Interlocked.Add(ref _completionTokens, usage.CompletionTokens);
        Interlocked.Add(ref _reasoningTokens, usage.ReasoningTokens);
    }

    public void RecordFirstToken(TimeSpan elapsed) => _firstToken.Observe(elapsed.TotalSeconds);

    public void RecordQueueWait(TimeSpan elapsed) => _queueWait.Observe(elapsed.TotalSeconds);

    /// <summary>Counts a request whose client went away before the reply ended.</summary>
    public void RecordCancelled() => Interlocked.Increment(ref _cancelled);

    /// <summary>The exposition text.</summary>
    public string Render(AdmissionGate gate, ServedModel model)
    {
        var text = new StringBuilder();
        text.Append("# HELP deepsharp_requests_total Requests answered, by endpoint and HTTP status.\n");
        text.Append("# TYPE deepsharp_requests_total counter\n");
        foreach (var ((endpoint, status), count) in _requests.OrderBy(e => e.Key.Endpoint, StringComparer.Ordinal).ThenBy(e => e.Key.Status))
        {
            text.Append(CultureInfo.InvariantCulture, $"deepsharp_requests_total{{endpoint=\"{endpoint}\",status=\"{status}\"}} {count}\n");
        }
        Counter(text, "deepsharp_prompt_tokens_total", "Prompt tokens of finished requests.", Interlocked.Read(ref _promptTokens));
        Counter(text, "deepsharp_prompt_cache_hit_tokens_total", "Prompt tokens taken from the KV cache instead of evaluated.", Interlocked.Read(ref _cachedPromptTokens));
        Counter(text, "deepsharp_completion_tokens_total", "Generated tokens.", Interlocked.Read(ref _completionTokens));
        Counter(text, "deepsharp_reasoning_tokens_total", "Generated tokens inside think blocks.", Interlocked.Read(ref _reasoningTokens));
        Counter(text, "deepsharp_requests_cancelled_total", "Requests whose client disconnected before the end.", Interlocked.Read(ref _cancelled));
        Gauge(text, "deepsharp_requests_running", "Requests holding a slot.", gate.Running);
        Gauge(text, "deepsharp_requests_waiting", "Requests waiting for a slot.", gate.Waiting);
        Gauge(text, "deepsharp_slots_total", "Requests that may run at once.", gate.Parallel);
        Gauge(text, "deepsharp_slots_free", "Slots no request holds.", gate.Parallel - gate.Running);
        Gauge(text, "deepsharp_queue_capacity", "Requests that may wait before 429.", gate.QueueCapacity);
        Gauge(text, "deepsharp_context_length", "Token positions of the KV cache.", model.Engine.ContextLength);
        Gauge(text, "deepsharp_managed_memory_bytes", "Managed heap in use.", GC.GetTotalMemory(false));
        WriteEngine(text, model.Engine.Statistics);
        _duration.WriteTo(text);
        _firstToken.WriteTo(text);
        _queueWait.WriteTo(text);
        return text.ToString();
    }

    /// <summary>The engine's own view: its KV slots and positions, its prefix cache and its request outcomes.</summary>
    private static void WriteEngine(StringBuilder text, EngineStatistics s)
    {
        Gauge(text, "deepsharp_engine_slots", "KV cache slots of the engine.", s.Slots);
        Gauge(text, "deepsharp_engine_slots_active", "Engine slots serving a request.", s.ActiveSlots);
        Gauge(text, "deepsharp_engine_queued_requests", "Requests waiting inside the engine.", s.QueuedRequests);
        Gauge(text, "deepsharp_kv_positions_used", "KV cache positions held by running requests.", s.KvPositionsUsed);
        Gauge(text, "deepsharp_kv_positions_total", "KV cache positions of all slots.", s.KvPositionsTotal);
        Gauge(text, "deepsharp_prefix_cache_entries", "Prompt prefixes kept for reuse.", s.RetainedPrefixes);
        Gauge(text, "deepsharp_prefix_cache_tokens", "KV positions held by kept prefixes.", s.RetainedPrefixTokens);
        Counter(text, "deepsharp_engine_prompt_tokens_total", "Prompt tokens the engine admitted.", s.PromptTokens);
        Counter(text, "deepsharp_engine_cached_prompt_tokens_total", "Admitted prompt tokens reused from the prefix cache.", s.CachedPromptTokens);
        Counter(text, "deepsharp_engine_completion_tokens_total", "Tokens the engine sampled.", s.CompletionTokens);
        text.Append("# HELP deepsharp_engine_requests_total Engine requests by outcome.\n# TYPE deepsharp_engine_requests_total counter\n");
        foreach (var (outcome, count) in (ReadOnlySpan<(string, long)>)[("finished", s.RequestsFinished), ("cancelled", s.RequestsCancelled), ("rejected", s.RequestsRejected), ("failed", s.RequestsFailed)])
        {
            text.Append(CultureInfo.InvariantCulture, $"deepsharp_engine_requests_total{{outcome=\"{outcome}\"}} {count}\n");
        }
    }

    private static void Counter(StringBuilder text, string name, string help, long value) => Metric(text, name, help, "counter", value);

    private static void Gauge(StringBuilder text, string name, string help, long value) => Metric(text, name, help, "gauge", value);

    private static void Metric(StringBuilder text, string name, string help, string type, long value) =>
        text.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} {type}\n{name} {value}\n");
}
