using Xunit;

namespace AiSwitch.Core.Tests.Hostile;

/// <summary>
/// The hostile-input suite runs alone, not beside other test classes: its cases assert that the process's heap did not
/// grow with the input, which another class allocating at the same moment would blur.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class HostileSuite
{
    public const string Name = "Hostile inputs";
}
