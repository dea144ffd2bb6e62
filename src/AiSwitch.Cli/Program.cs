namespace AiSwitch.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            // The first Ctrl+C cancels the running operation (its agents' process trees are killed); a second one ends the process.
            if (!cancellation.IsCancellationRequested)
            {
                e.Cancel = true;
                cancellation.Cancel();
            }
        };

        return AiSwitchCli.Run(args, Utf8WhenRedirected(), Console.Error, cancellation.Token);
    }

    /// <summary>
    /// Output piped to a file or another program is UTF-8 without a byte order mark on every system; Windows would
    /// otherwise write its console code page. A console keeps its own encoding, which the terminal renders.
    /// </summary>
    private static TextWriter Utf8WhenRedirected()
    {
        if (!Console.IsOutputRedirected || Console.OutputEncoding.CodePage == 65001)
        {
            return Console.Out;
        }

        return new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false)) { AutoFlush = true };
    }
}
