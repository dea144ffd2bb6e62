using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace AiSwitch.MockProvider.Tests;

/// <summary>One server-sent event as the tests parse it: the optional <c>event:</c> name and the joined <c>data:</c> lines.</summary>
internal sealed record SseEvent(string? Name, string Data)
{
    public JsonElement Json => JsonDocument.Parse(this.Data).RootElement;

    /// <summary>The <c>type</c> member of the data (Anthropic and Responses events carry it).</summary>
    public string Type => this.Json.GetProperty("type").GetString()!;
}

/// <summary>A tiny HTTP client for the tests: posts JSON and parses SSE by hand, independent of the server's own code.</summary>
internal static class Sse
{
    public static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public static Task<HttpResponseMessage> PostAsync(string url, string json, CancellationToken cancellationToken = default, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        return Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
    }

    public static async Task<List<SseEvent>> PostAndReadAsync(string url, string json, params (string Name, string Value)[] headers)
    {
        using var response = await PostAsync(url, json, default, headers);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(new MediaTypeHeaderValue("text/event-stream").MediaType, response.Content.Headers.ContentType?.MediaType);
        return await ReadAllAsync(response);
    }

    public static async Task<JsonElement> PostJsonAsync(string url, string json)
    {
        using var response = await PostAsync(url, json);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public static async Task<List<SseEvent>> ReadAllAsync(HttpResponseMessage response)
    {
        var events = new List<SseEvent>();
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        await foreach (var item in ReadAsync(reader))
        {
            events.Add(item);
        }

        return events;
    }

    public static async IAsyncEnumerable<SseEvent> ReadAsync(StreamReader reader)
    {
        string? name = null;
        var data = new StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    yield return new SseEvent(name, data.ToString());
                }

                name = null;
                data.Clear();
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                name = line["event:".Length..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                data.Append(data.Length > 0 ? "\n" : "").Append(line["data:".Length..].TrimStart());
            }
        }

        Assert.True(data.Length == 0, "The stream ended inside an event.");
    }
}
