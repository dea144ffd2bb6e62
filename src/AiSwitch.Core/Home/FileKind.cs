using System.Runtime.InteropServices;

namespace AiSwitch.Core.Home;

/// <summary>
/// What a path names, found without opening it: opening a FIFO blocks until someone writes to it, and a device such as
/// /dev/zero never ends, so a reader that may only read regular files must look first.
/// </summary>
internal static partial class FileKind
{
    private const int TypeMask = 0xF000;
    private const int Regular = 0x8000;

    /// <summary>Null for a regular file (after following links) or a missing path; else what it is, for an error message.</summary>
    public static string? DescribeIfNotRegular(string path)
    {
        if (Directory.Exists(path))
        {
            return "a folder";
        }

        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var mode = UnixMode(path);
        return mode is null or Regular ? null : mode switch
        {
            0x1000 => "a FIFO (named pipe)",
            0x2000 => "a character device",
            0x6000 => "a block device",
            0xC000 => "a socket",
            _ => "not a regular file",
        };
    }

    /// <summary>
    /// The file-type bits of stat(2) through the runtime's own native shim, which lays the result out the same way on
    /// every Unix the runtime supports (libc's struct stat differs by platform and architecture). Null when stat fails.
    /// </summary>
    private static unsafe int? UnixMode(string path)
    {
        // The shim's FileStatus begins with two 32-bit fields, Flags then Mode; the rest is room to spare.
        var status = stackalloc byte[512];
        return SystemNativeStat(path, status) == 0 ? ((int*)status)[1] & TypeMask : null;
    }

    [LibraryImport("libSystem.Native", EntryPoint = "SystemNative_Stat", StringMarshalling = StringMarshalling.Utf8)]
    private static unsafe partial int SystemNativeStat(string path, byte* status);
}
