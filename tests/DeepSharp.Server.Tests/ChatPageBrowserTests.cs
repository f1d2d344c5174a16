using DeepSharp.Engine;
using DeepSharp.Inference;
using System.Text.Json.Nodes;

namespace DeepSharp.Server.Tests;

/// <summary>
/// The web chat page in headless Chromium: type a question, send it, and see the streamed reasoning in a collapsible
/// thinking section and the answer below it. The screenshot is kept under the test output's <c>artifacts/</c>.
/// </summary>
[Trait("Category", "Slow")]
public sealed class ChatPageBrowserTests(SharedServer shared)
{
    public static string ScreenshotPath => Path.Combine(AppContext.BaseDirectory, "artifacts", "chat-page.png");

    [Fact]
    public async Task SendingAMessageStreamsThinkingAndAnswer()
    {
        Assert.SkipWhen(CdpBrowser.Executable is null, "chromium is not installed (apt-get install chromium); the page test needs a headless browser");
        var ct = TestContext.Current.CancellationToken;
        // Its own server on a paced engine: unpaced, the whole reply can reach the page in one read on an idle machine.
        using var engine = TestModel.Load(new EngineOptions { Session = new SessionOptions { ActivationSink = new PacedSteps(10) } });
        await using var server = await TestModel.StartServerAsync(engine: engine);
        await using var browser = await CdpBrowser.LaunchAsync(ct);
        await browser.SendAsync("Page.enable", cancellationToken: ct);
        await browser.SendAsync("Page.navigate", new { url = server.BaseAddress.ToString() }, ct);
        await browser.WaitForAsync("document.readyState === 'complete' && !!document.getElementById('send')", TimeSpan.FromSeconds(20), ct);
        await browser.WaitForAsync("document.getElementById('model').textContent === 'deepsharp-tiny-r1'", TimeSpan.FromSeconds(20), ct);

        // Count DOM changes in the reply, to tell a streamed reply (many changes) from one written at once.
        await browser.EvaluateAsync("""
            localStorage.clear();
            document.getElementById('temperature').value = '0';
            window.__changes = 0;
            new MutationObserver(() => window.__changes++).observe(document.getElementById('log'), { subtree: true, childList: true, characterData: true });
            document.getElementById('input').value = 'What is 12+34?';
            document.getElementById('send').click();
            true
            """, ct);
        await browser.WaitForAsync("!!document.querySelector('.msg.assistant.done')", TimeSpan.FromSeconds(30), ct);
        var state = (await browser.EvaluateAsync("""
            (() => {
              const reply = document.querySelector('.msg.assistant');
              const box = reply.querySelector('details.thinking');
              return {
                thinking: box ? box.querySelector('.thinking-text').textContent : null,
                summary: box ? box.querySelector('summary').textContent : null,
                collapsed: box ? !box.open : null,
                answer: reply.querySelector('.content').textContent,
                error: reply.querySelector('.error') ? reply.querySelector('.error').textContent : null,
                usage: reply.querySelector('.usage') ? reply.querySelector('.usage').textContent : null,
                changes: window.__changes,
                user: document.querySelector('.msg.user .content').textContent,
              };
            })()
            """, ct))!.AsObject();

        byte[] png = await browser.ScreenshotAsync(ct);
        Directory.CreateDirectory(Path.GetDirectoryName(ScreenshotPath)!);
        await File.WriteAllBytesAsync(ScreenshotPath, png, ct);
        TestContext.Current.AddAttachment("chat-page.png", png, "image/png");

        Assert.Null((string?)state["error"]);
        Assert.Equal("What is 12+34?", (string?)state["user"]);
        Assert.False(string.IsNullOrWhiteSpace((string?)state["thinking"]), "no thinking section");
        Assert.True((bool?)state["collapsed"], "the thinking section should fold once the answer starts");
        Assert.False(string.IsNullOrWhiteSpace((string?)state["answer"]), "no answer text");
        Assert.Contains("thinking", (string?)state["usage"]);
        Assert.True((int)state["changes"]! > 5, $"only {(int)state["changes"]!} DOM changes: the reply was not streamed");
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
    }

    [Fact]
    public async Task StopButtonAbortsAWaitingRequestAndTheServerLetsItGo()
    {
        Assert.SkipWhen(CdpBrowser.Executable is null, "chromium is not installed (apt-get install chromium); the page test needs a headless browser");
        var ct = TestContext.Current.CancellationToken;
        await using var server = await TestModel.StartServerAsync(new DeepSharpServerOptions { Parallel = 1, KeepAliveInterval = TimeSpan.FromMilliseconds(50) });
        using var lease = server.State.Gate.TryEnter()!;   // the only slot is taken: the page's request has to wait
        await lease.WaitAsync(ct);
        await using var browser = await CdpBrowser.LaunchAsync(ct);
        await browser.SendAsync("Page.navigate", new { url = server.BaseAddress.ToString() }, ct);
        await browser.WaitForAsync("document.readyState === 'complete' && !!document.getElementById('send')", TimeSpan.FromSeconds(20), ct);
        await browser.EvaluateAsync("localStorage.clear(); document.getElementById('input').value = 'What is 1+2?'; document.getElementById('send').click(); true", ct);
        await WaitUntilAsync(() => server.State.Gate.Waiting == 1, ct);
        Assert.Equal(true, (bool?)await browser.EvaluateAsync("document.getElementById('send').disabled && !document.getElementById('stop').disabled", ct));

        await browser.EvaluateAsync("document.getElementById('stop').click(); true", ct);
        await browser.WaitForAsync("!!document.querySelector('.msg.assistant.done')", TimeSpan.FromSeconds(20), ct);
        Assert.Equal("(stopped)", (string?)await browser.EvaluateAsync("document.querySelector('.msg.assistant .error').textContent", ct));
        Assert.Equal(true, (bool?)await browser.EvaluateAsync("!document.getElementById('send').disabled && document.getElementById('stop').disabled", ct));
        await WaitUntilAsync(() => server.State.Gate.Waiting == 0, ct);   // the aborted request left the queue
    }

    private static async Task WaitUntilAsync(Func<bool> condition, CancellationToken ct)
    {
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); !condition(); await Task.Delay(20, ct))
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), "timed out waiting for the server");
        }
    }

    [Fact]
    public async Task MarkdownRendererEscapesHtmlAndRendersCode()
    {
        Assert.SkipWhen(CdpBrowser.Executable is null, "chromium is not installed (apt-get install chromium); the page test needs a headless browser");
        var ct = TestContext.Current.CancellationToken;
        await using var browser = await CdpBrowser.LaunchAsync(ct);
        await browser.SendAsync("Page.navigate", new { url = shared.BaseAddress.ToString() }, ct);
        await browser.WaitForAsync("document.readyState === 'complete' && typeof renderMarkdown === 'function'", TimeSpan.FromSeconds(20), ct);
        string html = (string)(await browser.EvaluateAsync("""
            renderMarkdown("<img src=x onerror=alert(1)> **bold** and `a<b`\n\n```js\nif (a < b) { x = '<i>'; }\n```\n- one\n- two")
            """, ct))!;
        Assert.DoesNotContain("<img", html);
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", html);
        Assert.Contains("<strong>bold</strong>", html);
        Assert.Contains("<code>a&lt;b</code>", html);
        Assert.Contains("<pre><code class=\"lang-js\">if (a &lt; b) { x = &#39;&lt;i&gt;&#39;; }</code></pre>", html);
        Assert.Contains("<ul><li>one</li><li>two</li></ul>", html);
    }
}
