using System.Runtime.InteropServices;
using AiSwitch.Core.Home;

namespace AiSwitch.Core.Usage;

/// <summary>
/// Appends whole lines to a JSON-lines file so that no reader or other writer ever sees two records mixed: each
/// append is one <c>write()</c> on a descriptor opened with <c>O_APPEND</c>, made while holding the folder's append
/// lock (a <see cref="FileMutex"/>). A writer killed mid-append can leave at most its own unfinished line; the next
/// append starts a fresh line after it, so the fragment stays one unparseable line that readers skip and report.
/// A write that fails (a full disk) is undone: the file is cut back to its length before it, so nothing half-written stays.
/// </summary>
internal static partial class AppendOnlyFile
{
    public const string LockFileName = ".append.lock";

    /// <summary>Appends <paramref name="lines"/> (complete lines, each ending in '\n') to <paramref name="path"/>.</summary>
    public static void Append(string path, ReadOnlySpan<byte> lines)
    {
        var directory = Path.GetDirectoryName(path)!;
        PrivateDirectory.Create(directory);
        using (FileMutex.Acquire(Path.Combine(directory, LockFileName)))
        {
            try
            {
                if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
                {
                    AppendUnix(path, lines);
                }
                else
                {
                    AppendPortable(path, lines);
                }
            }
            catch (IOException ex)
            {
                throw AtomicFile.StorageFailure(path, ex);
            }
        }
    }

    private static void AppendUnix(string path, ReadOnlySpan<byte> lines)
    {
        var macOs = OperatingSystem.IsMacOS();
        var flags = macOs ? 0x0002 | 0x0200 | 0x0008 | 0x01000000 : 0x0002 | 0x0040 | 0x0400 | 0x80000; // O_RDWR|O_CREAT|O_APPEND|O_CLOEXEC
        var fd = Open(path, flags, 0x180);                                                                  // 0600
        if (fd < 0)
        {
            throw Failure(path, "open");
        }

        var before = Seek(fd, 0, 2); // SEEK_END
        try
        {
            var prefix = NeedsNewLine(fd);
            ReadOnlySpan<byte> toWrite = lines;
            byte[]? joined = null;
            if (prefix)
            {
                // A killed writer left a line without its end: start ours on a fresh line, in the same single write.
                joined = new byte[lines.Length + 1];
                joined[0] = (byte)'\n';
                lines.CopyTo(joined.AsSpan(1));
                toWrite = joined;
            }

            while (!toWrite.IsEmpty)
            {
                var written = Write(fd, ref MemoryMarshal.GetReference(toWrite), toWrite.Length);
                if (written < 0)
                {
                    if (Marshal.GetLastPInvokeError() == 4)
                    {
                        continue; // EINTR
                    }

                    var failure = Failure(path, "write");
                    _ = Truncate(fd, before); // under the lock nobody appended since: the file is as it was
                    throw failure;
                }

                toWrite = toWrite[(int)written..];
            }
        }
        finally
        {
            _ = Close(fd);
        }

        static bool NeedsNewLine(int fd)
        {
            var size = Seek(fd, 0, 2); // SEEK_END
            if (size <= 0)
            {
                return false;
            }

            byte last = 0;
            return PRead(fd, ref last, 1, size - 1) == 1 && last != (byte)'\n';
        }
    }

    private static void AppendPortable(string path, ReadOnlySpan<byte> lines)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.OpenOrCreate,
            Access = FileAccess.ReadWrite,
            Share = FileShare.ReadWrite | FileShare.Delete,
            BufferSize = 0,
        };
        using var stream = new FileStream(path, options);
        var length = stream.Length;
        if (length > 0)
        {
            stream.Position = length - 1;
            if (stream.ReadByte() != '\n')
            {
                stream.WriteByte((byte)'\n');
            }
        }

        stream.Position = stream.Length;
        stream.Write(lines);
    }

    private static IOException Failure(string path, string call)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call}() failed on '{path}': {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, ref byte buffer, nint count);

    [LibraryImport("libc", EntryPoint = "pread", SetLastError = true)]
    private static partial nint PRead(int fd, ref byte buffer, nint count, long offset);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long Seek(int fd, long offset, int whence);

    /// <summary>
    /// Rewrites <paramref name="path"/> without the lines <paramref name="drop"/> picks, under the append lock (so no append
    /// is lost), through a temporary file renamed over it. Returns how many lines were dropped; a missing file drops none.
    /// </summary>
    public static int RemoveLines(string path, Func<ReadOnlyMemory<byte>, bool> drop)
    {
        var directory = Path.GetDirectoryName(path)!;
        using (FileMutex.Acquire(Path.Combine(directory, LockFileName)))
        {
            if (!File.Exists(path))
            {
                return 0;
            }

            var content = File.ReadAllBytes(path);
            var kept = new MemoryStream(content.Length);
            var dropped = 0;
            var start = 0;
            while (start < content.Length)
            {
                var end = Array.IndexOf(content, (byte)'\n', start);
                var next = end < 0 ? content.Length : end + 1;
                if (drop(content.AsMemory(start, (end < 0 ? content.Length : end) - start)))
                {
                    dropped++;
                }
                else
                {
                    kept.Write(content, start, next - start);
                }

                start = next;
            }

            if (dropped > 0)
            {
                AtomicFile.Write(path, kept.GetBuffer().AsSpan(0, (int)kept.Length));
            }

            return dropped;
        }
    }

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    private static partial int Truncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
