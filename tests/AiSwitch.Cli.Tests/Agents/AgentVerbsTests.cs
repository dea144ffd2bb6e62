using System.Text.Json;
using AiSwitch.Core.Agents;
using AiSwitch.Core.Home;

namespace AiSwitch.Cli.Tests.Agents;

public sealed class AgentVerbsTests : IDisposable
{
    private readonly CliRunner.TempHome _home = new();

    [Fact]
    public void Register_list_status_and_unregister_round_trip()
    {
        var registered = CliRunner.Run(_home, "agents", "register", "reviewer", "--adapter", "jsonrpc", "--command", "/opt/reviewer",
            "--arg", "--stdio", "--tag", "review", "--tag", "python", "--max-concurrency", "2", "--timeout", "90");
        var stored = new AgentDefinitionStore(new AiHome(_home.Root)).Get("reviewer");
        var listed = CliRunner.Run(_home, "agents", "list", "--output-format", "json");
        var status = CliRunner.Run(_home, "agents", "status", "reviewer");
        var unregistered = CliRunner.Run(_home, "agents", "unregister", "reviewer");
        var after = CliRunner.Run(_home, "agents", "list");

        Assert.Equal(0, registered.Code);
        Assert.Contains("Registered agent 'reviewer' (jsonrpc)", registered.Output);
        using var json = JsonDocument.Parse(listed.Output);
        var names = json.RootElement.EnumerateArray().Select(a => a.GetProperty("name").GetString()).ToList();
        Assert.Equal(["claude", "codex", "gemini", "reviewer"], names);
        var reviewer = json.RootElement.EnumerateArray().Single(a => a.GetProperty("name").GetString() == "reviewer");
        Assert.Equal("stopped", reviewer.GetProperty("status").GetString());
        Assert.Equal(2, reviewer.GetProperty("max_concurrency").GetInt32());
        Assert.Equal(["review", "python"], reviewer.GetProperty("tags").EnumerateArray().Select(t => t.GetString()).ToList());
        Assert.Equal(["--stdio"], stored.Arguments);
        Assert.Equal(TimeSpan.FromSeconds(90), stored.DefaultTimeout);
        Assert.Equal("/opt/reviewer", stored.Command);
        Assert.Contains("Status         : Stopped", status.Output);
        Assert.Contains("Command        : /opt/reviewer", status.Output);
        Assert.Equal(0, unregistered.Code);
        Assert.DoesNotContain("reviewer", after.Output);
        Assert.StartsWith("Name", after.Output);
    }

    [Fact]
    public void An_unknown_adapter_is_a_usage_error_listing_the_known_ones()
    {
        var (code, _, error) = CliRunner.Run(_home, "agents", "register", "x", "--adapter", "copilot");

        Assert.Equal(4, code);
        Assert.Contains("aiswitch: InvalidArgument (-41901): Cannot register agent 'x': the adapter 'copilot' is not known. Known adapters: anthropic, claude-code, claude-code-session, codex, gemini, jsonrpc, openai.", error);
    }

    [Fact]
    public void An_unknown_agent_is_not_found()
    {
        var (code, _, error) = CliRunner.Run(_home, "agents", "start", "cladue");

        Assert.Equal(3, code);
        Assert.Contains("aiswitch: AgentNotFound (-40001): Agent 'cladue' not found. Did you mean 'claude'?", error);
    }

    [Fact]
    public void A_broken_agents_file_names_its_line()
    {
        Directory.CreateDirectory(Path.Combine(_home.Root, "config"));
        File.WriteAllText(Path.Combine(_home.Root, "config", "agents.yaml"), "agents:\n  - name: a\n    adaptor: codex\n");

        var (code, _, error) = CliRunner.Run(_home, "agents", "list");

        Assert.Equal(5, code);
        Assert.Contains("is invalid at line 3, column 5: 'adaptor' is not a known field", error);
    }

    [Fact]
    public void Stopping_an_agent_that_does_not_run_shows_it_stopped()
    {
        var (code, output, _) = CliRunner.Run(_home, "agents", "stop", "codex");

        Assert.Equal(0, code);
        Assert.Contains("Status         : Stopped", output);
    }

    public void Dispose() => _home.Dispose();
}
