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

        return AiSwitchCli.Run(args, Console.Out, Console.Error, cancellation.Token);
    }
}
