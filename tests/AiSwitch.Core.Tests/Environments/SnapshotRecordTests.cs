using System.Text.Json;
using System.Text.Json.Nodes;
using AiSwitch.Core.Environments;
using Xunit;

namespace AiSwitch.Core.Tests.Environments;

public sealed class SnapshotRecordTests : IDisposable
{
    private readonly EnvironmentTestHome _home = new();

    public void Dispose() => _home.Dispose();

    private static SnapshotRecord Record(string value = "v") => new SnapshotRecord
    {
        SnapshotId = "s1",
        Agent = "claude",
        Timestamp = new DateTimeOffset(2026, 11, 21, 22, 0, 0, TimeSpan.FromHours(8)),
        PresetName = "gpt",
        Description = "d",
        Variables = new() { ["B"] = value, ["A"] = "a" },
        Unset = ["Z", "Y"],
        Managed = ["B", "A"],
    }.WithChecksum();

    [Fact]
    public void The_checksum_depends_on_content_not_on_order_or_formatting()
    {
        var record = Record();
        var reordered = new SnapshotRecord
        {
            SnapshotId = "s1",
            Agent = "claude",
            Timestamp = record.Timestamp.ToUniversalTime(),
            PresetName = "gpt",
            Description = "d",
            Variables = new() { ["A"] = "a", ["B"] = "v" },
            Unset = ["Y", "Z"],
            Managed = ["A", "B"],
            Checksum = record.Checksum,
        };

        Assert.Matches("^sha256:[0-9a-f]{64}$", record.Checksum);
        Assert.True(reordered.ChecksumMatches());
        Assert.NotEqual(record.Checksum, Record("w").Checksum);
    }

    [Fact]
    public void A_stored_snapshot_reindented_still_verifies_and_an_edited_one_does_not()
    {
        _home.Snapshots.Write(Record());
        var path = _home.Snapshots.PathOf("claude", "s1");
        var node = JsonNode.Parse(File.ReadAllText(path))!;
        File.WriteAllText(path, node.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
        Assert.True(_home.Snapshots.Read("claude", "s1").ChecksumMatches());

        node["data"]!["unset"] = new JsonArray("Z");
        File.WriteAllText(path, node.ToJsonString());
        Assert.False(_home.Snapshots.Read("claude", "s1").ChecksumMatches());
    }

    [Fact]
    public void Snapshot_files_are_private_to_the_user()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        _home.Snapshots.Write(Record());
        var mode = File.GetUnixFileMode(_home.Snapshots.PathOf("claude", "s1"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, mode);
    }
}
