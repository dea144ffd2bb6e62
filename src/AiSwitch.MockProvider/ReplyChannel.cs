using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace AiSwitch.MockProvider;

/// <summary>
/// Thrown out of the request to cut a started stream: Kestrel then closes the connection after what was already flushed,
/// so the client reads the partial stream and then a broken one (an abort instead would reset the socket and could drop
/// the flushed bytes before the client reads them).
/// </summary>
internal sealed class ReplyAbandonedException : Exception
{
    public ReplyAbandonedException()
        : base("The mock cut the stream as scripted (MockFault.Disconnect).")
    {
    }
}

/// <summary>
/// Writes one reply: JSON, or SSE events flushed one by one with the scripted delay between text chunks and the scripted
/// fault (stall or disconnect) after the scripted number of text chunks.
/// </summary>
internal sealed class ReplyChannel(HttpContext context, ServedReply reply, CancellationToken token)
{
    private int textChunks;
    private bool faulted;

    private MockReply Script => reply.Script;

    public async Task StartSseAsync()
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "text/event-stream; charset=utf-8";
        context.Response.Headers.CacheControl = "no-cache";
        await context.Response.StartAsync(token);
        await context.Response.Body.FlushAsync(token);
    }

    /// <summary>Writes an SSE event (<c>event:</c> line only when <paramref name="name"/> is given) and flushes it.</summary>
    public Task EventAsync(string? name, JsonNode data) => this.WriteAsync(
        (name is null ? "" : $"event: {name}\n") + $"data: {WireJson.Text(data)}\n\n");

    /// <summary>Writes a raw <c>data:</c> line (e.g. <c>[DONE]</c>).</summary>
    public Task DataAsync(string raw) => this.WriteAsync($"data: {raw}\n\n");

    /// <summary>Called once the opening events are out: a fault scripted after 0 chunks fires here.</summary>
    public Task OpenedAsync() => this.Script.FaultAfterChunks == 0 ? this.FaultAsync() : Task.CompletedTask;

    /// <summary>Writes one text chunk: waits the chunk delay (not before the first), writes, then fires a fault due now.</summary>
    public async Task TextAsync(string? name, JsonNode data)
    {
        if (this.textChunks > 0 && this.Script.ChunkDelayMs > 0)
        {
            await Task.Delay(this.Script.ChunkDelayMs, token);
        }

        await this.EventAsync(name, data);
        this.textChunks++;
        if (this.textChunks == (this.Script.FaultAfterChunks ?? 1))
        {
            await this.FaultAsync();
        }
    }

    /// <summary>Called after the last text chunk: a fault scripted after more chunks than there were fires here.</summary>
    public Task TextDoneAsync() => this.FaultAsync();

    public Task JsonAsync(int status, JsonNode body) => WriteJsonAsync(context, status, body, token);

    public static Task WriteJsonAsync(HttpContext context, int status, JsonNode body, CancellationToken token)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(WireJson.Text(body), token);
    }

    private async Task FaultAsync()
    {
        if (this.faulted || this.Script.Fault == MockFault.None)
        {
            return;
        }

        this.faulted = true;
        if (this.Script.Fault == MockFault.Stall)
        {
            await Task.Delay(Timeout.Infinite, token);
        }

        throw new ReplyAbandonedException();
    }

    private async Task WriteAsync(string text)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), token);
        await context.Response.Body.FlushAsync(token);
    }
}
