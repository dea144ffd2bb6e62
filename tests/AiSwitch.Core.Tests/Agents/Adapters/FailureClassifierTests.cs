using AiSwitch.Core.Agents.Adapters;

namespace AiSwitch.Core.Tests.Agents.Adapters;

/// <summary>Each cause of an agent's failure gets its own id, from what the agent said, its exit code or its stderr.</summary>
public sealed class FailureClassifierTests
{
    [Theory]
    [InlineData("Not logged in · Please run /login", null, ErrorId.AgentAuthenticationFailed)]
    [InlineData("Invalid API key · Fix external API key", null, ErrorId.AgentAuthenticationFailed)]
    [InlineData("API Error: refused", 403, ErrorId.AgentAuthenticationFailed)]
    [InlineData("API Error: Unable to connect to API (ConnectionRefused)", null, ErrorId.NetworkError)]
    [InlineData("stream error: error sending request for url (http://127.0.0.1:9/v1/responses)", null, ErrorId.NetworkError)]
    [InlineData("API Error: 429 rate_limit_error", 429, ErrorId.ProviderRateLimited)]
    [InlineData("API Error: 529 overloaded", 529, ErrorId.ProviderOverloaded)]
    [InlineData("Reached max turns (3)", null, ErrorId.AgentReportedFailure)]
    [InlineData(null, null, ErrorId.AgentReportedFailure)]
    public void A_failure_the_agent_reported_is_named_by_its_cause(string? message, int? status, ErrorId expected)
        => Assert.Equal(expected, FailureClassifier.Classify(message, status));

    [Theory]
    [InlineData("", 127, ErrorId.AgentCommandNotFound)]
    [InlineData("/bin/sh: 1: claude: not found", 2, ErrorId.AgentCommandNotFound)]
    [InlineData("bash: codex: command not found", 1, ErrorId.AgentCommandNotFound)]
    [InlineData("/usr/bin/env: 'node': No such file or directory", 1, ErrorId.AgentCommandNotFound)]
    [InlineData("Error: Not logged in", 1, ErrorId.AgentAuthenticationFailed)]
    [InlineData("Error: connect ECONNREFUSED 127.0.0.1:9", 1, ErrorId.NetworkError)]
    [InlineData("Segmentation fault (core dumped)", 139, ErrorId.AgentCrashed)]
    [InlineData("", null, ErrorId.AgentCrashed)]
    public void A_process_that_ended_without_its_answer_is_named_by_its_exit_and_stderr(string stderr, int? exitCode, ErrorId expected)
        => Assert.Equal(expected, FailureClassifier.ClassifyExit(stderr, exitCode));

    [Fact]
    public void A_file_the_agent_could_not_read_is_its_own_failure_not_a_missing_command()
        => Assert.Equal(ErrorId.AgentReportedFailure, FailureClassifier.Classify("ENOENT: no such file or directory, open 'notes.md'"));
}
