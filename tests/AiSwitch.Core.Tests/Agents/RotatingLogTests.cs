using AiSwitch.Core.Agents;
using AiSwitch.Core.Tests.Support;

namespace AiSwitch.Core.Tests.Agents;

public sealed class RotatingLogTests : IDisposable
{
    private readonly TempHome _home = new();

    private string LogPath => RotatingLog.PathFor(_home.Home, "chatty");

    [Fact]
    public void A_full_log_rotates_to_numbered_files_and_the_oldest_is_dropped()
    {
        var log = new RotatingLog(LogPath, maxBytes: 2048, keep: 3);
        var at = DateTimeOffset.Parse("2026-11-21T22:50:01Z", System.Globalization.CultureInfo.InvariantCulture);

        for (var i = 0; i < 200; i++)
        {
            log.WriteLine(42, $"line {i:D3} " + new string('x', 60), at);
        }

        Assert.True(File.Exists(LogPath + ".1") && File.Exists(LogPath + ".2") && File.Exists(LogPath + ".3"));
        Assert.False(File.Exists(LogPath + ".4"));
        foreach (var file in new[] { LogPath, LogPath + ".1", LogPath + ".2", LogPath + ".3" })
        {
            Assert.InRange(new FileInfo(file).Length, 1, 2048);
        }

        var newest = File.ReadAllLines(LogPath);
        Assert.Equal($"2026-11-21T22:50:01.000Z [pid 42] line 199 {new string('x', 60)}", newest[^1]);
        Assert.StartsWith("2026-11-21T22:50:01.000Z [pid 42] line ", File.ReadAllLines(LogPath + ".3")[0]);
        // Nothing in between was lost: the kept files hold a contiguous run ending at the last line.
        var kept = new[] { LogPath + ".3", LogPath + ".2", LogPath + ".1", LogPath }.SelectMany(File.ReadAllLines)
            .Select(l => int.Parse(l.Split(' ')[4], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(kept[0], kept.Count), kept);
    }

    [Fact]
    public void Two_writers_of_one_log_share_it()
    {
        var first = new RotatingLog(LogPath);
        var second = new RotatingLog(LogPath);

        first.WriteLine(1, "from one", DateTimeOffset.UnixEpoch);
        second.WriteLine(2, "from two", DateTimeOffset.UnixEpoch);

        Assert.Equal(["1970-01-01T00:00:00.000Z [pid 1] from one", "1970-01-01T00:00:00.000Z [pid 2] from two"], File.ReadAllLines(LogPath));
    }

    public void Dispose() => _home.Dispose();
}
