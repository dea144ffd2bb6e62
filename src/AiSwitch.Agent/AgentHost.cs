using System.IO.Pipes;
using Microsoft.Win32.SafeHandles;

namespace AiSwitch.Agent;

/// <summary>
/// Runs an <see cref="AgentBase"/> as an AiSwitch agent: JSON-RPC over stdin/stdout, logs on stderr. Returns the process exit
/// code: 0 after agent.shutdown or when the coordinator closes stdin.
/// </summary>
public static class AgentHost
{
    /// <summary>
    /// Serves the agent over this process's stdin and stdout until agent.shutdown or the end of stdin. Console.Out is sent
    /// to the log for the duration, so a stray Console.WriteLine cannot corrupt the protocol.
    /// </summary>
    public static async Task<int> RunAsync(AgentBase agent, AgentHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new AgentHostOptions();
        var input = OpenStandardStream(0, PipeDirection.In);
        var output = OpenStandardStream(1, PipeDirection.Out);
        var previousOut = Console.Out;
        Console.SetOut(options.Log);
        try
        {
            return await RunAsync(agent, input, output, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Console.SetOut(previousOut);
        }
    }

    /// <summary>Serves the agent over a pair of streams (what the coordinator writes, what it reads): for tests and custom transports.</summary>
    public static async Task<int> RunAsync(AgentBase agent, Stream input, Stream output, AgentHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(agent);
        await using var runtime = new AgentRuntime(agent, input, output, options ?? new AgentHostOptions(), TimeProvider.System);
        return await runtime.RunAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// stdin/stdout as streams with real asynchronous I/O when they are pipes (as under a coordinator): the runtime's pipe
    /// streams wait in epoll rather than parking a thread-pool thread in a blocking read. Anything else (a terminal, a file)
    /// gets the console's own stream.
    /// </summary>
    private static Stream OpenStandardStream(int fd, PipeDirection direction)
    {
        if (!OperatingSystem.IsWindows())
        {
            try
            {
                // Owned, so that disposing the connection closes it: a socket-backed pipe stream that cannot close its handle
                // spins on dispose waiting for its pending read to end.
                var handle = new SafePipeHandle(fd, ownsHandle: true);
                return new AnonymousPipeClientStream(direction, handle);
            }
            catch (IOException)
            {
                // Not a pipe.
            }
        }

        return direction == PipeDirection.In ? Console.OpenStandardInput() : Console.OpenStandardOutput();
    }
}
