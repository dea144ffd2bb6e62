using AiSwitch.Cli;

namespace AiSwitch.Cli.Tests;

public sealed class CliHostTests
{
    [Fact]
    public void An_unknown_verb_is_a_usage_error_with_exit_code_2_and_a_hint()
    {
        var (code, _, error) = CliRunner.Run("nope");

        Assert.Equal(AiSwitchCli.UsageExitCode, code);
        Assert.Contains("'nope'", error);
        Assert.Contains("aiswitch --help", error);
    }

    [Fact]
    public void An_unknown_option_names_the_verb_to_ask_for_help()
    {
        var (code, _, error) = CliRunner.Run("home", "--bogus");

        Assert.Equal(2, code);
        Assert.Contains("aiswitch home --help", error);
    }

    [Fact]
    public void Home_prints_the_AISWITCH_HOME_folder_and_creates_its_layout()
    {
        using var home = new CliRunner.TempHome();

        var (code, output, _) = CliRunner.Run(home, "home", "--create");

        Assert.Equal(0, code);
        Assert.Equal(home.Root, output.Trim());
        Assert.True(Directory.Exists(Path.Combine(home.Root, "state")));
    }

    [Fact]
    public void A_core_error_is_printed_with_id_and_code_and_mapped_to_its_exit_code()
    {
        var error = new StringWriter();

        var code = AiSwitchCli.Fail(error, new AiSwitchException(ErrorId.PresetNotFound, "Preset 'gpt5' not found."));

        Assert.Equal(3, code);
        Assert.Equal("aiswitch: PresetNotFound (-40201): Preset 'gpt5' not found.", error.ToString().Trim());
    }
}
