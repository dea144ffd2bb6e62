using AiSwitch.Core.Home;
using AiSwitch.Core.Tests.Support;

namespace AiSwitch.Core.Tests.Home;

public sealed class AiHomeTests
{
    [Fact]
    public void AISWITCH_HOME_overrides_the_default_folder()
    {
        var home = AiHome.FromEnvironment(name => name == AiHome.HomeVariable ? "/tmp/somewhere/else" : null);

        Assert.Equal("/tmp/somewhere/else", home.Root);
        Assert.Equal("/tmp/somewhere/else/config/presets", home.PresetsDir);
    }

    [Fact]
    public void Without_AISWITCH_HOME_the_home_is_dot_aiswitch_in_the_user_profile()
    {
        var home = AiHome.FromEnvironment(_ => null);

        Assert.Equal(Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".aiswitch"), home.Root);
    }

    [Fact]
    public void The_layout_is_created_with_folders_only_the_user_can_enter()
    {
        using var temp = new TempHome();

        temp.Home.EnsureCreated();

        foreach (var dir in new[] { temp.Home.Root, temp.Home.ConfigDir, temp.Home.LocksDir, temp.Home.StateDir, temp.Home.LogsDir, temp.Home.TmpDir })
        {
            Assert.True(Directory.Exists(dir), dir);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(PrivateDirectory.FolderMode, File.GetUnixFileMode(dir));
            }
        }
    }

    [Fact]
    public void An_empty_override_is_a_configuration_error_that_says_how_to_fix_it()
    {
        var ex = Assert.Throws<AiSwitchException>(() => new AiHome(" "));

        Assert.Equal(ErrorId.ConfigurationError, ex.Id);
        Assert.Contains("AISWITCH_HOME", ex.Message);
    }
}
