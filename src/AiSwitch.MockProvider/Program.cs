using System.Globalization;
using System.Runtime.InteropServices;
using AiSwitch.MockProvider;

// aiswitch-mock [--port N]: serves until Ctrl+C or SIGTERM; the first stdout line is the base URL.
var port = 0;
for (var i = 0; i < args.Length; i++)
{
    if (args[i] is "--port" or "-p" && i + 1 < args.Length
        && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out port) && port <= 65535)
    {
        i++;
        continue;
    }

    Console.Error.WriteLine($"aiswitch-mock: unknown or invalid argument '{args[i]}'. Usage: aiswitch-mock [--port N] (0, the default, picks a free port).");
    return 2;
}

MockProviderServer mock;
try
{
    mock = await MockProviderServer.StartAsync(port);
}
catch (IOException error)
{
    Console.Error.WriteLine($"aiswitch-mock: cannot listen on 127.0.0.1:{port}: {error.Message} Pass --port 0 to pick a free port.");
    return 1;
}

await using (mock)
{
    Console.Out.WriteLine(mock.BaseUrl);
    Console.Out.Flush();

    var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.TrySetResult();
    };
    using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
    {
        context.Cancel = true;
        stop.TrySetResult();
    });

    await stop.Task;
}

return 0;
