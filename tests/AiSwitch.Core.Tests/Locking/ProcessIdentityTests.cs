using AiSwitch.Core.Locking;
using Xunit;

namespace AiSwitch.Core.Tests.Locking;

public sealed class ProcessIdentityTests
{
    [Fact]
    public void ThisProcessIsAlive()
    {
        Assert.NotEqual("unknown", ProcessIdentity.CurrentStartToken);
        Assert.Equal(OwnerLiveness.Alive, ProcessIdentity.Check(Environment.ProcessId, ProcessIdentity.CurrentStartToken));
    }

    [Fact]
    public void ALivePidWithAnotherStartTimeIsReused()
        => Assert.Equal(OwnerLiveness.Reused, ProcessIdentity.Check(Environment.ProcessId, "linux:1"));

    [Fact]
    public async Task AnExitedProcessIsDead()
    {
        Assert.Equal(OwnerLiveness.Dead, ProcessIdentity.Check(await TestHost.ExitedPidAsync(), "linux:1"));
        Assert.Equal(OwnerLiveness.Dead, ProcessIdentity.Check(0, null));
    }

    [Fact]
    public void ReadsStartTimeAfterACommandNameWithSpacesAndParentheses()
    {
        const string Stat = "4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10";

        Assert.Equal("linux:987654", ProcessIdentity.ParseLinuxStat(Stat));
    }

    [Theory]
    [InlineData("4242 (gone) Z 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 0 0")]
    [InlineData("4242 (cut) S 1 2")]
    [InlineData("garbage")]
    public void AZombieOrAnUnreadableStatIsGone(string stat) => Assert.Null(ProcessIdentity.ParseLinuxStat(stat));
}
