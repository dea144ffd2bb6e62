using AiSwitch.Core.Locking;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace AiSwitch.Core.Tests.Locking;

public sealed class LockNameTests
{
    [Theory]
    [InlineData("build")]
    [InlineData("deploy.prod")]
    [InlineData("A-b_c.9")]
    [InlineData("x")]
    [InlineData("resource_db-1")]
    [InlineData("console")]
    [InlineData("build.nul")]
    public void AcceptsSafeNames(string name) => Assert.Equal(name, LockName.Validate(name));

    [Fact]
    public void AcceptsExactlyOneHundredCharacters() => Assert.True(LockName.IsValid(new string('a', 100)));

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("../etc", "'..'")]
    [InlineData("a/b", "path separator")]
    [InlineData("a\\b", "path separator")]
    [InlineData(".hidden", "starts with '.'")]
    [InlineData("a..b", "'..'")]
    [InlineData("..", "starts with '.'")]
    [InlineData("a b", "' '")]
    [InlineData("naïve", "'ï'")]
    [InlineData("c:x", "':'")]
    [InlineData("a*", "'*'")]
    [InlineData("nul", "device name")]
    [InlineData("Com1.build", "device name")]
    [InlineData("CON", "device name")]
    public void RejectsUnsafeNamesNamingTheValueAndTheRule(string name, string problem)
    {
        var error = Assert.Throws<AiSwitchException>(() => LockName.Validate(name));

        Assert.Equal(ErrorId.InvalidLockName, error.Id);
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(LockName.Rule, error.Message, StringComparison.Ordinal);
        Assert.Equal(name, error.Target);
    }

    [Fact]
    public void RejectsOverlongNames()
    {
        var error = Assert.Throws<AiSwitchException>(() => LockName.Validate(new string('a', 101)));

        Assert.Equal(ErrorId.InvalidLockName, error.Id);
        Assert.Contains("101 characters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void RejectsNull() => Assert.Equal(ErrorId.InvalidLockName, Assert.Throws<AiSwitchException>(() => LockName.Validate(null)).Id);

    [Fact]
    public void EveryAcceptedNameIsOneFileDirectlyInTheLocksFolder()
    {
        var root = Path.Combine(Path.GetTempPath(), "locks");
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), name =>
        {
            if (!LockName.IsValid(name))
            {
                return true;
            }

            var full = Path.GetFullPath(Path.Combine(root, name + ".lock"));
            return Path.GetDirectoryName(full) == root && Path.GetFileName(full) == name + ".lock";
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void NamesMadeOfTheAllowedAlphabetAreAcceptedUnlessTheyStartWithADotOrHoldTwo()
    {
        var alphabet = "abcXYZ019-_.".ToCharArray(); // no device name (CON, NUL…) can be spelt with these
        var names = Gen.ArrayOf(Gen.Elements(alphabet)).Select(chars => new string(chars)).Where(s => s.Length is > 0 and <= 100);
        Prop.ForAll(names.ToArbitrary(), name =>
            LockName.IsValid(name) == (!name.StartsWith('.') && !name.Contains("..", StringComparison.Ordinal)))
            .QuickCheckThrowOnFailure();
    }
}
