namespace AiSwitch.Cli.Tests.Tasks;

public sealed class TaskStatusVerbTests
{
    [Fact]
    public void Status_of_an_unknown_task_id_fails_with_TaskNotFound_and_its_code()
    {
        using var home = new CliRunner.TempHome();

        var (code, output, error) = CliRunner.Run(home, "task", "status", "nope");

        Assert.Equal(ErrorId.TaskNotFound.Kind().ExitCode(), code);
        Assert.NotEqual(0, code);
        Assert.Contains("-40101", error);
        Assert.Contains("'nope'", error);
        Assert.Equal(string.Empty, output);
    }

    [Fact]
    public void Status_with_a_wildcard_that_matches_nothing_writes_nothing_and_succeeds()
    {
        using var home = new CliRunner.TempHome();

        var (code, output, error) = CliRunner.Run(home, "task", "status", "nope*");

        Assert.Equal((0, string.Empty, string.Empty), (code, output.Trim(), error));
    }
}
