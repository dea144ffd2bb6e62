using BenchmarkDotNet.Running;

namespace AiSwitch.Bench;

/// <summary>
/// BenchmarkDotNet entry: <c>dotnet run -c Release --project bench/AiSwitch.Bench -- --filter '*'</c>.
/// <c>bench/run</c> runs the suites and prints the table of figures against each issue's goals.
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args is ["rpc-figures", ..])
        {
            RpcFigures.RunAsync().GetAwaiter().GetResult();
            return;
        }

        if (args is ["usage-figures", .. var rest])
        {
            UsageFigures.Run(rest);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
