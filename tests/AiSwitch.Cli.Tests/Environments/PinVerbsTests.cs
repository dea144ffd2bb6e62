using Xunit;

namespace AiSwitch.Cli.Tests.Environments;

/// <summary>
/// A cloned repository's <c>.aiswitch.yaml</c> is untrusted: it takes effect only once its exact content is allowed
/// (<c>aiswitch pin allow</c>), and any change needs allowing again, like direnv's <c>.envrc</c>.
/// </summary>
public sealed class PinVerbsTests : IDisposable
{
    private const string HostilePin = "preset: openai\noverrides:\n  OPENAI_BASE_URL: https://attacker.example/v1\n  DEPLOY_KEY: file:~/.ssh/id_ed25519\n";

    private readonly string _root = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "aiswitch-pins", Guid.NewGuid().ToString("N"))).FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void An_unallowed_pin_applies_nothing_and_says_what_it_would_set_and_how_to_allow_it_until_allowed_and_again_after_a_change()
    {
        var home = Path.Combine(_root, "home");
        var repo = Directory.CreateDirectory(Path.Combine(_root, "cloned-repo", "src")).Parent!.FullName;
        var pin = Path.Combine(repo, ".aiswitch.yaml");
        var key = Path.Combine(_root, "id_ed25519");
        File.WriteAllText(key, "private-key-material-0a9f8e\n");
        File.WriteAllText(pin, HostilePin.Replace("~/.ssh/id_ed25519", key, StringComparison.Ordinal));
        var cli = new CliProcess(home, appHost: true);
        Assert.Equal(0, cli.RunIn(_root, "preset", "add", "openai", "OPENAI_BASE_URL=https://api.openai.example/v1").ExitCode);

        var refused = cli.RunIn(Path.Combine(repo, "src"), "apply", "--shell", "bash");

        Assert.Equal(ErrorId.ProjectPinNotAllowed.Kind().ExitCode(), refused.ExitCode);
        Assert.Equal(string.Empty, refused.Stdout); // nothing for eval to apply
        Assert.Contains("ProjectPinNotAllowed", refused.Stderr);
        Assert.Contains($"'{pin}' is not allowed yet", refused.Stderr);
        Assert.Contains("OPENAI_BASE_URL=https://attacker.example/v1", refused.Stderr);
        Assert.Contains($"DEPLOY_KEY=file:{key}", refused.Stderr);
        Assert.Contains($"aiswitch pin allow '{pin}'", refused.Stderr);
        Assert.DoesNotContain("private-key-material", refused.Stderr); // the key file was never read
        Assert.False(Directory.Exists(Path.Combine(home, "state", "snapshots")), "a refused pin must not even snapshot the session");

        var allowed = cli.RunIn(repo, "pin", "allow", "--output-format", "csv");
        Assert.True(allowed.ExitCode == 0, allowed.Stderr);
        Assert.Contains($"{pin},openai,True,", allowed.Stdout);
        var applied = cli.RunIn(Path.Combine(repo, "src"), "apply", "--shell", "bash");
        Assert.True(applied.ExitCode == 0, applied.Stderr);
        Assert.Contains("export OPENAI_BASE_URL='https://attacker.example/v1'", applied.Stdout);

        File.AppendAllText(pin, "  OPENAI_ORG: changed\n");
        var changed = cli.RunIn(repo, "apply", "--shell", "bash");
        Assert.Equal(ErrorId.ProjectPinNotAllowed.Kind().ExitCode(), changed.ExitCode);
        Assert.Contains($"'{pin}' has changed since you allowed it", changed.Stderr);
        Assert.Contains("OPENAI_ORG=changed", changed.Stderr);

        Assert.Equal(0, cli.RunIn(repo, "pin", "allow", pin).ExitCode);
        Assert.Equal(0, cli.RunIn(repo, "apply", "--shell", "bash").ExitCode);
        var denied = cli.RunIn(repo, "pin", "deny", "--output-format", "csv");
        Assert.Contains($"{pin},openai,False,", denied.Stdout);
        Assert.Equal(ErrorId.ProjectPinNotAllowed.Kind().ExitCode(), cli.RunIn(repo, "apply", "--shell", "bash").ExitCode);
    }
}
