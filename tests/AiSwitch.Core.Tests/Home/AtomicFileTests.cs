using AiSwitch.Core.Home;
using AiSwitch.Core.Tests.Support;

namespace AiSwitch.Core.Tests.Home;

public sealed class AtomicFileTests
{
    [Fact]
    public void A_written_file_is_private_to_the_user_and_leaves_no_temporary_behind()
    {
        using var temp = new TempHome();
        var path = Path.Combine(temp.Home.StateDir, "x.json");

        AtomicFile.Write(path, "hello"u8);

        Assert.Equal("hello", File.ReadAllText(path));
        Assert.Single(Directory.GetFiles(temp.Home.StateDir));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(PrivateDirectory.FileMode, File.GetUnixFileMode(path));
            Assert.Equal(PrivateDirectory.FolderMode, File.GetUnixFileMode(temp.Home.StateDir));
        }
    }

    [Fact]
    public void A_process_killed_in_the_middle_of_writes_leaves_an_old_or_new_file_never_a_torn_one()
    {
        using var temp = new TempHome();
        var path = Path.Combine(temp.Home.StateDir, "big.txt");

        for (var round = 0; round < 5; round++)
        {
            using var writer = TestHostProcess.Start("state-write-loop", path);
            // It writes back to back (~400 KB each), so after its report of generation N the kill lands inside a later write.
            string? line;
            while ((line = writer.StandardOutput.ReadLine()) != $"wrote {3 + round}")
            {
                Assert.NotNull(line);
            }

            writer.Kill(entireProcessTree: true);
            writer.WaitForExit();

            var lines = File.ReadAllLines(path);
            Assert.Equal(20_000, lines.Length);
            Assert.Single(lines.Distinct());
        }

        AtomicFile.CleanAbandonedTemporaries(temp.Home.StateDir, TimeSpan.Zero);
        Assert.Equal([path], Directory.GetFiles(temp.Home.StateDir));
    }

    [Fact]
    public void Reading_a_missing_file_gives_null()
    {
        using var temp = new TempHome();

        Assert.Null(AtomicFile.ReadOrNull(Path.Combine(temp.Root, "nope", "missing.json")));
    }

    [Fact]
    public void A_write_into_a_read_only_folder_is_a_permission_error_naming_the_file_and_the_old_content_survives()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root")
        {
            // root ignores file modes, so there is nothing to observe; the mapping itself is covered below.
            var mapped = AtomicFile.StorageFailure("/x/y.json", new UnauthorizedAccessException("denied"));
            Assert.Equal(ErrorId.PermissionDenied, mapped.Id);
            Assert.Contains("/x/y.json", mapped.Message);
            return;
        }

        using var temp = new TempHome();
        var path = Path.Combine(temp.Home.StateDir, "x.json");
        AtomicFile.Write(path, "old"u8);
        File.SetUnixFileMode(temp.Home.StateDir, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            var ex = Assert.Throws<AiSwitchException>(() => AtomicFile.Write(path, "new"u8));
            Assert.Equal(ErrorId.PermissionDenied, ex.Id);
            Assert.Contains(path, ex.Message);
        }
        finally
        {
            File.SetUnixFileMode(temp.Home.StateDir, PrivateDirectory.FolderMode);
        }

        Assert.Equal("old", File.ReadAllText(path));
    }

    [Fact]
    public void Disk_full_is_insufficient_resources_and_says_nothing_was_changed()
    {
        var ex = AtomicFile.StorageFailure("/home/u/.aiswitch/state/x.json", new IOException("No space left on device", 28));

        Assert.Equal((ErrorId.InsufficientResources, -40401), (ex.Id, ex.Id.Code()));
        Assert.Contains("disk is full", ex.Message);
        Assert.Contains("Nothing was changed", ex.Message);
    }
}
