using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AiSwitch.MockProvider;

/// <summary>The body of <c>POST /_mock/script</c>.</summary>
public sealed class MockScriptRequest
{
    /// <summary>The prefix the replies are for (e.g. <c>/sess-1</c>); null or absent: any prefix.</summary>
    public string? Prefix { get; init; }

    /// <summary>One reply to queue (or to make the default).</summary>
    public MockReply? Reply { get; init; }

    /// <summary>Several replies to queue, served in order.</summary>
    public IReadOnlyList<MockReply>? Replies { get; init; }

    /// <summary>When true, <see cref="Reply"/> becomes the prefix's default instead of being queued.</summary>
    public bool Default { get; init; }
}

/// <summary>
/// Scripting and inspection over HTTP for out-of-process use: <c>POST /_mock/script</c>, <c>GET /_mock/requests</c>
/// (optionally <c>?prefix=/sess-1</c>), <c>POST /_mock/reset</c>. These calls are not recorded.
/// </summary>
internal sealed class MockControlApi(ScriptBook book, RequestLog log, Action reset)
{
    public const string PathPrefix = "/_mock/";

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var action = (request.Path.Value ?? "")[PathPrefix.Length..].TrimEnd('/');
        switch (action)
        {
            case "script" when HttpMethods.IsPost(request.Method):
                await this.ScriptAsync(context);
                break;
            case "requests" when HttpMethods.IsGet(request.Method):
                var prefix = request.Query.TryGetValue("prefix", out var p) ? MockRoute.NormalizePrefix(p.ToString()) : null;
                var requests = log.Snapshot().Where(r => prefix is null || r.Prefix == prefix).ToList();
                await WriteAsync(context, 200, JsonSerializer.SerializeToNode(requests, WireJson.Options)!);
                break;
            case "reset" when HttpMethods.IsPost(request.Method):
                reset();
                await WriteAsync(context, 200, new JsonObject { ["reset"] = true });
                break;
            default:
                await WriteAsync(context, 404, new JsonObject
                {
                    ["error"] = $"No control endpoint {request.Method} {request.Path}. Use POST /_mock/script, GET /_mock/requests or POST /_mock/reset.",
                });
                break;
        }
    }

    private async Task ScriptAsync(HttpContext context)
    {
        MockScriptRequest? script;
        try
        {
            script = await JsonSerializer.DeserializeAsync<MockScriptRequest>(context.Request.Body, WireJson.Options, context.RequestAborted);
        }
        catch (JsonException error)
        {
            await WriteAsync(context, 400, new JsonObject { ["error"] = $"The script body is not valid: {error.Message} Send {{\"prefix\":\"/sess-1\",\"reply\":{{\"text\":\"hi\"}}}}." });
            return;
        }

        var replies = (script?.Replies ?? []).Concat(script?.Reply is { } one ? [one] : []).ToList();
        if (script is null || replies.Count == 0 || (script.Default && replies.Count != 1))
        {
            await WriteAsync(context, 400, new JsonObject
            {
                ["error"] = "The script names no reply (or several with \"default\": true). Send {\"prefix\":\"/sess-1\",\"reply\":{\"text\":\"hi\"}} or {\"replies\":[…]}.",
            });
            return;
        }

        if (script.Default)
        {
            book.SetDefault(replies[0], script.Prefix);
        }
        else
        {
            replies.ForEach(reply => book.Enqueue(reply, script.Prefix));
        }

        await WriteAsync(context, 200, new JsonObject { ["queued"] = script.Default ? 0 : replies.Count, ["pending"] = book.Pending });
    }

    private static Task WriteAsync(HttpContext context, int status, JsonNode body) =>
        ReplyChannel.WriteJsonAsync(context, status, body, context.RequestAborted);
}
