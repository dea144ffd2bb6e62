using System.Net;
using System.Text;
using AiSwitch.Core.Hosting;

namespace AiSwitch.Core.Metrics;

/// <summary><c>aiswitch metrics serve --port N</c>: serves <c>/metrics</c> (Prometheus text) on 127.0.0.1 until cancelled.</summary>
internal static class MetricsServer
{
    public static async Task RunAsync(MetricsExporter exporter, int port, Action<string>? started, IOperationContext? context, CancellationToken cancellationToken)
    {
        if (port is < 1 or > 65535)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument, $"Port {port} is not between 1 and 65535. Give a free port, e.g. --port 9464.");
        }

        using var listener = new HttpListener();
        var prefix = $"http://127.0.0.1:{port}/";
        listener.Prefixes.Add(prefix);
        try
        {
            listener.Start();
        }
        catch (HttpListenerException ex)
        {
            throw new AiSwitchException(ErrorId.MetricsPortUnavailable,
                $"Cannot serve metrics on 127.0.0.1:{port}: {ex.Message}. Pick another port with --port.", port.ToString(System.Globalization.CultureInfo.InvariantCulture), ex);
        }

        started?.Invoke(prefix + "metrics");
        using var stop = cancellationToken.Register(listener.Stop);
        while (!cancellationToken.IsCancellationRequested)
        {
            HttpListenerContext request;
            try
            {
                request = await listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break; // stopped
            }

            await AnswerAsync(exporter, request, context).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    private static async Task AnswerAsync(MetricsExporter exporter, HttpListenerContext request, IOperationContext? context)
    {
        using var response = request.Response;
        var path = request.Request.Url?.AbsolutePath ?? "/";
        if (path != "/metrics" || request.Request.HttpMethod is not ("GET" or "HEAD"))
        {
            response.StatusCode = path == "/metrics" ? 405 : 404;
            return;
        }

        string body;
        try
        {
            body = exporter.Prometheus(context);
        }
        catch (AiSwitchException ex)
        {
            response.StatusCode = 500;
            body = ex.Message + "\n";
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentType = response.StatusCode == 500 ? "text/plain; charset=utf-8" : PrometheusText.ContentType;
        response.ContentLength64 = bytes.Length;
        if (request.Request.HttpMethod == "GET")
        {
            await response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
        }
    }
}
