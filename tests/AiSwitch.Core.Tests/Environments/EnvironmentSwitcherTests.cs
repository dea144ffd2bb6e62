using AiSwitch.Core.Home;
using AiSwitch.Core.Environments;
using Xunit;

namespace AiSwitch.Core.Tests.Environments;

public sealed class EnvironmentSwitcherTests : IDisposable
{
    private readonly EnvironmentTestHome _home = new();

    public void Dispose() => _home.Dispose();

    private static Dictionary<string, string> Map(params (string Name, string Value)[] pairs)
        => pairs.ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal);

    [Fact]
    public void Switch_sets_the_new_variables_removes_the_old_preset_only_ones_and_records_the_preset()
    {
        var env = new InMemoryEnvironment([new("PATH", "/bin"), new("OPENAI_API_KEY", "user-own")]);
        var session = _home.Session(env);
        _home.Switcher.Switch(session, "gpt", Map(("OPENAI_BASE_URL", "https://a"), ("OPENAI_MODEL", "gpt-4")), snapshot: false);

        var result = _home.Switcher.Switch(session, "kimi", Map(("OPENAI_BASE_URL", "https://b"), ("OPENAI_API_KEY", "k2")), snapshot: true);

        Assert.Equal("gpt", result.PreviousPreset);
        Assert.Equal("kimi", result.CurrentPreset);
        Assert.Equal(["OPENAI_API_KEY", "OPENAI_BASE_URL"], result.VariablesSet);
        Assert.Equal(["OPENAI_MODEL"], result.VariablesRemoved);
        Assert.Equal("https://b", env.Get("OPENAI_BASE_URL"));
        Assert.Equal("k2", env.Get("OPENAI_API_KEY"));
        Assert.Null(env.Get("OPENAI_MODEL"));
        Assert.Equal("/bin", env.Get("PATH"));
        Assert.Equal("kimi", env.Get(SessionManagedEnvironment.PresetMarker));
        Assert.Equal("OPENAI_API_KEY,OPENAI_BASE_URL", env.Get(SessionManagedEnvironment.ManagedMarker));
        Assert.NotNull(result.SnapshotId);
    }

    [Fact]
    public void A_switch_that_fails_halfway_changes_nothing_and_reports_40202()
    {
        var inner = new InMemoryEnvironment([new("PATH", "/bin"), new("A", "old-a")]);
        var session = _home.Session(inner);
        _home.Switcher.Switch(session, "first", Map(("A", "a1"), ("OLD_ONLY", "o")), snapshot: false);
        var before = inner.GetAll();
        var failing = _home.Session(new FailingEnvironment(inner, failOn: "C"));

        var error = Assert.Throws<AiSwitchException>(() =>
            _home.Switcher.Switch(failing, "second", Map(("A", "a2"), ("B", "b2"), ("C", "c2"), ("D", "d2")), snapshot: true));

        Assert.Equal(ErrorId.EnvironmentSwitchFailed, error.Id);
        Assert.Equal(-40202, error.Code);
        Assert.Contains("'C'", error.Message);
        Assert.Contains("nothing was changed", error.Message);
        Assert.DoesNotContain("c2", error.Message);
        Assert.Equal(before, inner.GetAll());
        Assert.Empty(_home.Snapshots.Ids(EnvironmentNames.Session)); // the pre-switch snapshot went with the failed switch
    }

    [Fact]
    public void A_switch_that_fails_on_the_bookkeeping_marker_undoes_every_variable()
    {
        var inner = new InMemoryEnvironment([new("A", "old")]);
        var failing = _home.Session(new FailingEnvironment(inner, failOn: SessionManagedEnvironment.ManagedMarker));
        var before = inner.GetAll();

        var error = Assert.Throws<AiSwitchException>(() => _home.Switcher.Switch(failing, "p", Map(("A", "new"), ("B", "b")), snapshot: false));

        Assert.Equal(ErrorId.EnvironmentSwitchFailed, error.Id);
        Assert.Equal(before, inner.GetAll());
    }

    [Fact]
    public void Restore_puts_back_exactly_what_the_snapshot_saw()
    {
        var env = new InMemoryEnvironment([new("PATH", "/bin"), new("OPENAI_API_KEY", "user-own")]);
        var session = _home.Session(env);
        _home.Switcher.Switch(session, "gpt", Map(("OPENAI_BASE_URL", "https://a"), ("OPENAI_MODEL", "gpt-4")), snapshot: false);
        var expected = env.GetAll();
        var first = _home.Switcher.Switch(session, "kimi", Map(("OPENAI_BASE_URL", "https://b"), ("OPENAI_API_KEY", "k2"), ("EXTRA", "x")), snapshot: true);
        _home.Switcher.Switch(session, "third", Map(("THIRD", "3")), snapshot: true);

        var rollback = _home.Switcher.Restore(session, first.SnapshotId!, force: false);

        Assert.Equal(expected, env.GetAll());
        Assert.True(rollback.ChecksumVerified);
        Assert.Equal("gpt", rollback.PresetName);
        Assert.Equal("third", rollback.PreviousPreset);
        Assert.Contains("THIRD", rollback.VariablesRemoved);
    }

    [Fact]
    public void Agent_switch_writes_the_record_all_at_once_and_restore_brings_it_back()
    {
        var agent = _home.Agent("claude");
        var first = _home.Switcher.Switch(agent, "gpt", Map(("A", "1"), ("B", "2")), snapshot: true);
        Assert.Null(first.PreviousPreset);
        var second = _home.Switcher.Switch(agent, "kimi", Map(("A", "9")), snapshot: true);

        Assert.Equal(["B"], second.VariablesRemoved);
        var state = _home.Agent("claude").ReadState();
        Assert.Equal("kimi", state.Preset);
        Assert.Equal(["A"], state.Managed);

        _home.Switcher.Restore(_home.Agent("claude"), second.SnapshotId!, force: false);
        var restored = _home.Agent("claude");
        Assert.Equal("gpt", restored.ReadState().Preset);
        Assert.Equal("1", restored.Get("A"));
        Assert.Equal("2", restored.Get("B"));

        _home.Switcher.Restore(_home.Agent("claude"), first.SnapshotId!, force: false);
        var empty = _home.Agent("claude");
        Assert.Null(empty.ReadState().Preset);
        Assert.Empty(empty.ReadState().Managed);
    }

    [Fact]
    public void A_tampered_snapshot_is_refused_with_a_checksum_mismatch_and_restored_with_force()
    {
        var agent = _home.Agent("codex");
        _home.Switcher.Switch(agent, "gpt", Map(("A", "original")), snapshot: false);
        var snapshot = _home.Switcher.Checkpoint(agent, "before-edit", "manual");
        _home.Switcher.Switch(agent, "kimi", Map(("A", "later")), snapshot: false);
        var path = _home.Snapshots.PathOf("codex", "before-edit");
        File.WriteAllText(path, File.ReadAllText(path).Replace("original", "tampered", StringComparison.Ordinal));

        var error = Assert.Throws<AiSwitchException>(() => _home.Switcher.Restore(_home.Agent("codex"), snapshot.SnapshotId, force: false));
        Assert.Equal(ErrorId.SnapshotChecksumMismatch, error.Id);
        Assert.Equal(-41207, error.Code); // not -40204, which says a rollback failed
        Assert.Equal("later", _home.Agent("codex").Get("A"));

        var forced = _home.Switcher.Restore(_home.Agent("codex"), snapshot.SnapshotId, force: true);
        Assert.False(forced.ChecksumVerified);
        Assert.False(forced.Snapshot.ChecksumValid);
        Assert.Equal("tampered", _home.Agent("codex").Get("A"));
    }

    [Fact]
    public void Checkpoint_ids_default_to_sortable_timestamps_and_named_ids_are_unique_and_safe()
    {
        var agent = _home.Agent("gemini");
        var a = _home.Switcher.Checkpoint(agent, null, null);
        var b = _home.Switcher.Checkpoint(agent, null, null);
        Assert.Matches(@"^\d{8}-\d{6}-\d{3}(-\d+)?$", a.SnapshotId);
        Assert.True(string.CompareOrdinal(a.SnapshotId, b.SnapshotId) < 0);

        _home.Switcher.Checkpoint(agent, "mine", "kept");
        var exists = Assert.Throws<AiSwitchException>(() => _home.Switcher.Checkpoint(agent, "mine", null));
        Assert.Equal((ErrorId.SnapshotAlreadyExists, -41206), (exists.Id, exists.Code)); // not -40203, which says the snapshot is missing

        foreach (var bad in new[] { "../x", "a/b", "..", ".hidden", "", new string('x', 101), "a\\b", "a b", "CON", "nul.snap", "é" })
        {
            var invalid = Assert.Throws<AiSwitchException>(() => _home.Switcher.Checkpoint(agent, bad, null));
            Assert.Equal(ErrorId.EnvironmentValidationFailed, invalid.Id);
        }

        Assert.Equal(3, _home.Snapshots.Ids("gemini").Count);
    }

    [Fact]
    public void Restore_of_an_unknown_snapshot_names_the_known_ones()
    {
        var agent = _home.Agent("claude");
        _home.Switcher.Checkpoint(agent, "one", null);

        var error = Assert.Throws<AiSwitchException>(() => _home.Switcher.Restore(agent, "two", force: false));

        Assert.Equal(ErrorId.SnapshotNotFound, error.Id);
        Assert.Contains("one", error.Message);
    }

    [Fact]
    public void Snapshot_views_never_show_a_value_that_is_not_a_known_literal()
    {
        var agent = _home.Agent("claude");
        _home.Switcher.Switch(agent, "gpt", Map(("URL", "https://example"), ("API_TOKEN", "tok-1234567890-secret")), snapshot: false);

        var view = _home.Switcher.Checkpoint(agent, null, null);

        Assert.Equal("****cret", view.Variables["API_TOKEN"]);
        Assert.Equal("****mple", view.Variables["URL"]); // no preset literals known here: deny by default
        Assert.True(view.ChecksumValid);
        Assert.StartsWith("sha256:", view.Checksum);
    }

    [Fact]
    public void Every_action_is_logged_with_names_only()
    {
        var agent = _home.Agent("claude");
        var result = _home.Switcher.Switch(agent, "gpt", Map(("API_KEY", "value-that-must-not-be-logged")), snapshot: true);
        _home.Switcher.Restore(agent, result.SnapshotId!, force: false);

        var log = File.ReadAllLines(_home.Log.Path);
        Assert.Equal(2, log.Length);
        Assert.Contains("\"action\":\"switch\"", log[0]);
        Assert.Contains("\"action\":\"rollback\"", log[1]);
        Assert.DoesNotContain("value-that-must-not-be-logged", string.Concat(log));
    }
}
