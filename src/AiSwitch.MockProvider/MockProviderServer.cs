using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace AiSwitch.MockProvider;

/// <summary>
/// A loopback fake of the Anthropic, OpenAI and Gemini HTTP APIs on 127.0.0.1, for tests, demos and benchmarks.
/// <code>
/// await using var mock = await MockProviderServer.StartAsync();
/// mock.Script(new MockReply { Text = "hi", Usage = new MockUsage { InputTokens = 7, OutputTokens = 2 } }, prefix: "/sess-1");
/// // point a client at mock.UrlFor("/sess-1"), then assert on mock.Requests
/// </code>
/// </summary>
public sealed class MockProviderServer : IAsyncDisposable
{
    private readonly ScriptBook book = new();
    private readonly RequestLog log = new();
    private readonly CancellationTokenSource stopping = new();
    private readonly MockControlApi control;
    private WebApplication? app;
    private int disposed;

    private MockProviderServer()
    {
        this.control = new MockControlApi(this.book, this.log, this.Reset);
    }

    /// <summary>The base URL without a trailing slash, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public string BaseUrl => $"http://127.0.0.1:{this.Port}";

    public int Port { get; private set; }

    /// <summary>A snapshot of every request received so far (control calls under <c>/_mock/</c> excluded), in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => this.log.Snapshot();

    /// <summary>Scripted replies not yet served.</summary>
    public int PendingScripts => this.book.Pending;

    /// <summary>Starts the server on 127.0.0.1; port 0 picks a free port.</summary>
    public static async Task<MockProviderServer> StartAsync(int port = 0, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, port);
            options.AddServerHeader = false;
            options.Limits.MinResponseDataRate = null;
            options.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        var server = new MockProviderServer();
        var app = builder.Build();
        app.Run(server.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            server.stopping.Dispose();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        (server.app, server.Port) = (app, new Uri(address).Port);
        return server;
    }

    /// <summary>The base URL with a path prefix, e.g. <c>UrlFor("sess-1")</c> → <c>http://127.0.0.1:41234/sess-1</c>.</summary>
    public string UrlFor(string prefix) => this.BaseUrl + MockRoute.NormalizePrefix(prefix);

    /// <summary>Queues a reply for the next model call on <paramref name="prefix"/> (null: on any prefix).</summary>
    public void Script(MockReply reply, string? prefix = null) => this.book.Enqueue(reply, prefix);

    /// <summary>The reply for model calls on <paramref name="prefix"/> (null: any prefix) when nothing is queued.</summary>
    public void SetDefault(MockReply reply, string? prefix = null) => this.book.SetDefault(reply, prefix);

    /// <summary>Forgets scripted replies, defaults and recorded requests. Request numbering continues.</summary>
    public void Reset()
    {
        this.book.Clear();
        this.log.Clear();
    }

    /// <summary>Completes when a request matching <paramref name="match"/> has arrived (at once if one already has).</summary>
    public Task<RecordedRequest> WaitForRequestAsync(Func<RecordedRequest, bool> match, CancellationToken cancellationToken = default) =>
        this.log.WaitAsync(match, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref this.disposed, 1) != 0)
        {
            return;
        }

        // Stalled replies end first, so stopping does not wait for them.
        await this.stopping.CancelAsync();
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await this.app!.StopAsync(grace.Token);
        await this.app.DisposeAsync();
        this.stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith(MockControlApi.PathPrefix, StringComparison.Ordinal))
        {
            await this.control.HandleAsync(context);
            return;
        }

        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, this.stopping.Token);
        try
        {
            await this.ServeAsync(context, path, cancellation.Token);
        }
        catch (ReplyAbandonedException) when (!context.Response.HasStarted)
        {
            context.Abort();
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            context.Abort();
        }
    }

    private async Task ServeAsync(HttpContext context, string path, CancellationToken token)
    {
        var request = context.Request;
        var route = MockRoute.Parse(request.Method, path);
        var bodyText = await new StreamReader(request.Body, Encoding.UTF8).ReadToEndAsync(token);
        var sse = request.Query.TryGetValue("alt", out var alt) && alt == "sse";
        var body = route.Api is MockApi.Head or MockApi.Unknown ? null : RequestBody.Parse(route.Api, bodyText, route.GeminiModel, sse);
        var sequence = this.log.NextSequence();
        RecordedRequest Record(int status, ServedReply? reply = null, MockFault fault = MockFault.None) => new()
        {
            Sequence = sequence,
            Method = request.Method,
            Path = path,
            Query = Redaction.RedactQuery(request.QueryString.Value ?? ""),
            Prefix = route.Prefix,
            Api = route.Api,
            Model = body?.Model ?? "",
            LastUserText = body?.LastUserText ?? "",
            Streamed = body?.Stream ?? false,
            JsonMode = body?.JsonMode ?? false,
            StatusCode = status,
            Fault = fault,
            ReplyText = status == 200 && reply is not null ? reply.Text : "",
            Usage = status == 200 ? reply?.Usage : null,
            Headers = RedactedHeaders(request.Headers),
            Body = bodyText,
        };

        switch (route.Api)
        {
            case MockApi.Head:
                this.log.Add(Record(200));
                return;
            case MockApi.Unknown:
                this.log.Add(Record(404));
                await ReplyChannel.WriteJsonAsync(context, 404, OpenAiWire.Error(404, $"The mock serves no {request.Method} {path}. See docs/mock-provider.md for its endpoints."), token);
                return;
            case MockApi.AnthropicCountTokens:
                this.log.Add(Record(200));
                await ReplyChannel.WriteJsonAsync(context, 200, AnthropicWire.CountTokens(Math.Max(1, bodyText.Length / 4)), token);
                return;
        }

        var script = this.book.Take(route.Prefix);
        var reply = ServedReply.Resolve(script, sequence, body!);
        var status = script.StatusCode > 0 ? script.StatusCode : 200;
        this.log.Add(Record(status, reply, status == 200 ? script.Fault : MockFault.None));

        if (script.FirstByteDelayMs > 0)
        {
            await Task.Delay(script.FirstByteDelayMs, token);
        }

        if (status != 200)
        {
            if (script.RetryAfterSeconds > 0)
            {
                context.Response.Headers.RetryAfter = script.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            await ReplyChannel.WriteJsonAsync(context, status, ErrorBody(route.Api, status), token);
            return;
        }

        if (script.Fault == MockFault.Stall && (script.FaultAfterChunks is null || !body!.Stream))
        {
            await Task.Delay(Timeout.Infinite, token);
        }

        if (script.Fault == MockFault.Disconnect && !body!.Stream)
        {
            context.Abort();
            return;
        }

        var channel = new ReplyChannel(context, reply, token);
        var writing = (route.Api, body!.Stream) switch
        {
            (MockApi.AnthropicMessages, true) => AnthropicWire.StreamAsync(channel, reply),
            (MockApi.AnthropicMessages, false) => channel.JsonAsync(200, AnthropicWire.Json(reply)),
            (MockApi.OpenAiResponses, true) => OpenAiWire.StreamResponseAsync(channel, reply),
            (MockApi.OpenAiResponses, false) => channel.JsonAsync(200, OpenAiWire.ResponseJson(reply)),
            (MockApi.OpenAiChatCompletions, true) => OpenAiWire.StreamChatAsync(channel, reply, body.IncludeUsage),
            (MockApi.OpenAiChatCompletions, false) => channel.JsonAsync(200, OpenAiWire.ChatJson(reply)),
            (MockApi.GeminiStreamGenerateContent, true) => GeminiWire.StreamAsync(channel, reply),
            // streamGenerateContent without alt=sse answers a JSON array of chunks.
            (MockApi.GeminiStreamGenerateContent, false) => channel.JsonAsync(200, new System.Text.Json.Nodes.JsonArray(GeminiWire.Json(reply))),
            _ => channel.JsonAsync(200, GeminiWire.Json(reply)),
        };
        await writing;
    }

    private static System.Text.Json.Nodes.JsonObject ErrorBody(MockApi api, int status)
    {
        var message = $"Scripted HTTP {status} from the AiSwitch mock provider.";
        return api switch
        {
            MockApi.AnthropicMessages => AnthropicWire.Error(status, message),
            MockApi.OpenAiResponses or MockApi.OpenAiChatCompletions => OpenAiWire.Error(status, message),
            _ => GeminiWire.Error(status, message),
        };
    }

    private static Dictionary<string, string> RedactedHeaders(IHeaderDictionary headers)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in headers)
        {
            var value = values.ToString();
            result[name] = Redaction.IsSecretHeader(name) ? Redaction.RedactValue(value) : value;
        }

        return result;
    }
}
