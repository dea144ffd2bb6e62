using System.ClientModel.Primitives;
using System.Net.Http;

namespace AiSwitch.Core.Agents.Adapters;

/// <summary>
/// The one HttpClient the HTTP adapters share: pooled connections across tasks and agents (a client per task would
/// leave sockets behind), no timeout of its own (the task's timeout and the caller's token end a call), and no
/// default headers (each SDK sends the credential of the call in hand).
/// </summary>
internal static class ProviderHttp
{
    /// <summary>The SDKs' own timeout, far beyond any task's: the adapter ends calls itself.</summary>
    public static readonly TimeSpan SdkTimeout = TimeSpan.FromHours(6);

    public static HttpClient Client { get; } = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        ConnectTimeout = TimeSpan.FromSeconds(15),
    })
    {
        Timeout = System.Threading.Timeout.InfiniteTimeSpan,
    };

    public static PipelineTransport Transport { get; } = new HttpClientPipelineTransport(Client);
}
