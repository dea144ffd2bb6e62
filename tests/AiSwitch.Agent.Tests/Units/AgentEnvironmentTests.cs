using System.Collections.Immutable;

namespace AiSwitch.Agent.Tests.Units;

public sealed class AgentEnvironmentUnitTests
{
    private static EnvironmentView View(string preset, params (string Name, string Value)[] variables) =>
        new(preset, variables.ToImmutableSortedDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal));

    [Fact]
    public void Equal_environments_have_equal_checksums_and_any_difference_changes_it()
    {
        var a = View("p", ("A", "1"), ("B", "2"));

        Assert.Equal(a.Checksum(), View("p", ("B", "2"), ("A", "1")).Checksum());
        Assert.NotEqual(a.Checksum(), View("q", ("A", "1"), ("B", "2")).Checksum());
        Assert.NotEqual(a.Checksum(), View("p", ("A", "1"), ("B", "3")).Checksum());
        Assert.NotEqual(View("p", ("A", "1=B")).Checksum(), View("p", ("A", "1"), ("B", "")).Checksum());
    }

    [Fact]
    public void A_view_taken_before_a_replace_is_unchanged_and_reset_forgets_snapshots()
    {
        var environment = new AgentEnvironment(View("start", ("A", "0")));
        var before = environment.Current;
        var snapshot = environment.Snapshot(null, "first");

        environment.Replace(View("next", ("A", "1")));

        Assert.Equal("0", before["A"]);
        Assert.Equal("1", environment.Current["A"]);
        Assert.Same(before, environment.GetSnapshot(snapshot.SnapshotId).View);
        Assert.Equal(ErrorId.SnapshotAlreadyExists, Assert.Throws<AiSwitchException>(() => environment.Snapshot(snapshot.SnapshotId, null)).Id);
        environment.Reset();
        Assert.Equal("start", environment.Current.Preset);
        Assert.Empty(environment.Snapshots());
    }
}
