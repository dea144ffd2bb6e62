using System.Diagnostics;
using System.Text.RegularExpressions;

namespace AiSwitch.MockProvider.Tests;

/// <summary>The <c>aiswitch-mock</c> executable, run as a real child process.</summary>
public sealed partial class ProgramTests
{
    private static Process Start(params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "aiswitch-mock.dll"));
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    [GeneratedRegex(@"^http://127\.0\.0\.1:(\d+)$")]
    private static partial Regex LoopbackUrl();

    [Fact]
    public async Task PrintsItsLoopbackUrlFirstServesAndStopsOnSigterm()
    {
        using var process = Start("--port", "0");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            var firstLine = await process.StandardOutput.ReadLineAsync(timeout.Token);

            var match = LoopbackUrl().Match(firstLine ?? "");
            Assert.True(match.Success, $"First line was '{firstLine}'.");
            var scripted = await Sse.PostJsonAsync(firstLine + "/_mock/script", """{"prefix":"/cli","reply":{"text":"from the exe"}}""");
            Assert.Equal(1, scripted.GetProperty("queued").GetInt32());
            var message = await Sse.PostJsonAsync(firstLine + "/cli/v1/messages", """{"messages":[{"role":"user","content":"x"}]}""");
            Assert.Equal("from the exe", message.GetProperty("content")[0].GetProperty("text").GetString());
            var recorded = await Sse.Http.GetStringAsync(firstLine + "/_mock/requests?prefix=/cli");
            Assert.Contains("\"replyText\":\"from the exe\"", recorded, StringComparison.Ordinal);

            Assert.Equal(0, SendSigterm(process.Id));
            await process.WaitForExitAsync(timeout.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Theory]
    [InlineData("--port", "http")]
    [InlineData("--verbose")]
    [InlineData("--port", "70000")]
    public async Task RejectsBadArgumentsWithUsageAndExitCode2(params string[] arguments)
    {
        using var process = Start(arguments);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(2, process.ExitCode);
        Assert.Contains("Usage: aiswitch-mock [--port N]", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATakenPortFailsWithAHintToUsePort0()
    {
        await using var mock = await MockProviderServer.StartAsync();
        using var process = Start("--port", mock.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var error = await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.Equal(1, process.ExitCode);
        Assert.Contains("Pass --port 0", error, StringComparison.Ordinal);
    }

    private static int SendSigterm(int pid)
    {
        using var kill = Process.Start("kill", ["-TERM", pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        return kill.ExitCode;
    }
}
