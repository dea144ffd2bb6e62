using AiSwitch.Core.Environments;
using AiSwitch.Core.Locking;
using AiSwitch.Core.Tests.Presets;
using Xunit;

namespace AiSwitch.Core.Tests.Hostile;

/// <summary>
/// The hostile-input suite, names part: preset names, lock names and environment targets become file and folder names
/// under the home, so a name that would escape its folder, carry a NUL or a control character, or run to thousands of
/// characters is refused with an error that names it printably and says the rule; nothing is written anywhere.
/// </summary>
[Trait("Suite", "Hostile")]
[Collection(HostileSuite.Name)]
public sealed class HostileNameTests : IDisposable
{
    private readonly TempPresetHome _home = new();

    public void Dispose() => _home.Dispose();

    public static TheoryData<string> HostileNames => new()
    {
        "../x",
        "..",
        "../../etc/passwd",
        "a/b",
        "a\\b",
        "/etc/passwd",
        "a\0b",
        "line\nbreak",
        "\u001b[31mred",
        new string('a', 10_000),
        "CON",
    };

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void A_hostile_preset_name_is_refused_and_nothing_is_written(string name)
    {
        var created = Assert.Throws<AiSwitchException>(() => _home.Store.Create(_home.NewRequest(name, ("A", "1"))));
        var read = Assert.Throws<AiSwitchException>(() => _home.Store.Get(name));

        Assert.Equal(ErrorId.InvalidPresetName, created.Id);
        Assert.Equal(ErrorId.InvalidPresetName, read.Id);
        Assert.Contains("is not valid", created.Message, StringComparison.Ordinal);
        Assert.Contains("letters, digits, '-', '_' or '.'", created.Message, StringComparison.Ordinal);
        AssertPrintableAndShort(created.Message);
        Assert.Empty(FilesUnder(_home.Root));
    }

    [Theory]
    [MemberData(nameof(HostileNames))]
    public void A_hostile_lock_name_or_agent_target_is_refused_printably(string name)
    {
        var lockError = Assert.Throws<AiSwitchException>(() => LockName.Validate(name));
        var targetError = Assert.Throws<AiSwitchException>(() => EnvironmentNames.Target(name));

        Assert.Equal(ErrorId.InvalidLockName, lockError.Id);
        Assert.Contains(LockName.Rule, lockError.Message, StringComparison.Ordinal);
        AssertPrintableAndShort(lockError.Message);
        Assert.Equal(ErrorId.EnvironmentValidationFailed, targetError.Id);
        AssertPrintableAndShort(targetError.Message);
    }

    private static void AssertPrintableAndShort(string message)
    {
        // The name is echoed so the user sees what was wrong, but never raw control characters and never 10,000 of anything.
        Assert.DoesNotContain(message, char.IsControl);
        Assert.True(message.Length < 1000, $"The message is {message.Length} characters long.");
    }

    private static IEnumerable<string> FilesUnder(string root)
        => Directory.Exists(root) ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".lock", StringComparison.Ordinal)) : [];
}
