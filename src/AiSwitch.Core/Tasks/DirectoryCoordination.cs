using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using AiSwitch.Core.Home;
using AiSwitch.Core.Locking;

namespace AiSwitch.Core.Tasks;

/// <summary>Where one attempt works, held until it is disposed (a directory lock, or an isolated workspace).</summary>
internal interface ITaskWorkspace : IAsyncDisposable
{
    string WorkingDirectory { get; }

    /// <summary>Isolated mode: the changed files and the diff; (null, null) otherwise.</summary>
    Task<(string? ChangedFiles, string? Diff)> CollectChangesAsync(CancellationToken cancellationToken);
}

/// <summary>Applies a coordination mode to the directory an agent works in.</summary>
internal sealed class DirectoryCoordination
{
    // One gate per directory lock for the whole process: a session may not take its own lock twice, and two sessions
    // of one process must queue for it here as well as on the lock file.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> Gates = new(StringComparer.Ordinal);
    private readonly AiHome _home;
    private readonly LockOperations _locks;

    public DirectoryCoordination(AiHome home, LockOperations locks)
    {
        _home = home;
        _locks = locks;
    }

    /// <summary>"dir-" and the first 16 hex digits of the SHA-256 of the directory's full path (case-folded on Windows).</summary>
    public static string LockNameFor(string directory)
    {
        var full = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (OperatingSystem.IsWindows())
        {
            full = full.ToUpperInvariant();
        }

        return "dir-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(full)))[..16].ToLowerInvariant();
    }

    public async Task<ITaskWorkspace> EnterAsync(TaskCoordinationMode mode, string directory, string workspaceName, TimeSpan lockTimeout, CancellationToken cancellationToken)
    {
        switch (mode)
        {
            case TaskCoordinationMode.Strict:
                var name = LockNameFor(directory);
                var gate = Gates.GetOrAdd(name, _ => new SemaphoreSlim(1, 1));
                if (!await gate.WaitAsync(lockTimeout, cancellationToken).ConfigureAwait(false))
                {
                    throw new AiSwitchException(ErrorId.LockTimeout,
                        $"Another agent of this process kept directory '{directory}' (lock '{name}') for more than {lockTimeout.TotalSeconds:0} s. Use -CoordinationMode Isolated to let agents work side by side.",
                        name);
                }

                try
                {
                    var handle = await _locks.AcquireAsync(new AcquireLockRequest(name) { Timeout = lockTimeout }, cancellationToken).ConfigureAwait(false);
                    return new LockedDirectory(directory, handle, gate);
                }
                catch
                {
                    gate.Release();
                    throw;
                }

            case TaskCoordinationMode.Isolated:
                return await IsolatedWorkspace.CreateAsync(directory, Path.Combine(_home.Ensure(Path.Combine(_home.TmpDir, "tasks")), workspaceName), cancellationToken).ConfigureAwait(false);

            default:
                return new SharedDirectory(directory);
        }
    }

    private sealed class SharedDirectory(string directory) : ITaskWorkspace
    {
        public string WorkingDirectory => directory;

        public Task<(string?, string?)> CollectChangesAsync(CancellationToken cancellationToken) => Task.FromResult<(string?, string?)>((null, null));

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    private sealed class LockedDirectory(string directory, LockHandle handle, SemaphoreSlim gate) : ITaskWorkspace
    {
        public string WorkingDirectory => directory;

        public Task<(string?, string?)> CollectChangesAsync(CancellationToken cancellationToken) => Task.FromResult<(string?, string?)>((null, null));

        public ValueTask DisposeAsync()
        {
            try
            {
                handle.Dispose();
            }
            finally
            {
                gate.Release();
            }

            return ValueTask.CompletedTask;
        }
    }
}

/// <summary>
/// A private copy of a directory for one agent: a detached git worktree of HEAD when the directory is in a repository,
/// else a copy made into a fresh repository. Either way the changes are read back with git, and the original is never written.
/// </summary>
internal sealed class IsolatedWorkspace : ITaskWorkspace
{
    private readonly string _root;
    private readonly string? _repository;

    private IsolatedWorkspace(string root, string workingDirectory, string? repository)
    {
        _root = root;
        WorkingDirectory = workingDirectory;
        _repository = repository;
    }

    public string WorkingDirectory { get; }

    public static async Task<IsolatedWorkspace> CreateAsync(string source, string root, CancellationToken cancellationToken)
    {
        source = Path.GetFullPath(source);
        if (Directory.Exists(root))
        {
            Directory.Delete(root, recursive: true);
        }

        var (code, top) = await Git.TryRunAsync(source, cancellationToken, "rev-parse", "--show-toplevel").ConfigureAwait(false);
        if (code == 0 && top.Trim().Length > 0)
        {
            var repository = top.Trim();
            await Git.RunAsync(repository, cancellationToken, "worktree", "add", "--detach", "--quiet", root, "HEAD").ConfigureAwait(false);
            var relative = Path.GetRelativePath(Path.GetFullPath(repository), source);
            return new IsolatedWorkspace(root, relative == "." ? root : Path.Combine(root, relative), repository);
        }

        CopyDirectory(source, root);
        await Git.RunAsync(root, cancellationToken, "init", "--quiet").ConfigureAwait(false);
        await Git.RunAsync(root, cancellationToken, "add", "-A").ConfigureAwait(false);
        await Git.RunAsync(root, cancellationToken, "-c", "user.name=AiSwitch", "-c", "user.email=aiswitch@localhost", "commit", "--quiet", "--allow-empty", "--no-verify", "-m", "AiSwitch isolated workspace base").ConfigureAwait(false);
        return new IsolatedWorkspace(root, root, null);
    }

    public async Task<(string? ChangedFiles, string? Diff)> CollectChangesAsync(CancellationToken cancellationToken)
    {
        await Git.RunAsync(_root, cancellationToken, "add", "-A").ConfigureAwait(false);
        var names = await Git.RunAsync(_root, cancellationToken, "diff", "--cached", "--name-only", "HEAD").ConfigureAwait(false);
        var diff = await Git.RunAsync(_root, cancellationToken, "diff", "--cached", "HEAD").ConfigureAwait(false);
        var files = names.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (string.Join(Environment.NewLine, files), diff);
    }

    public async ValueTask DisposeAsync()
    {
        if (_repository is not null)
        {
            await Git.TryRunAsync(_repository, CancellationToken.None, "worktree", "remove", "--force", _root).ConfigureAwait(false);
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    private static void CopyDirectory(string source, string target)
    {
        Directory.CreateDirectory(target);
        foreach (var directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(Path.Combine(target, Path.GetRelativePath(source, directory)));
        }

        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, Path.Combine(target, Path.GetRelativePath(source, file)));
        }
    }
}

/// <summary>Runs git and captures its output.</summary>
internal static class Git
{
    public static async Task<string> RunAsync(string directory, CancellationToken cancellationToken, params string[] arguments)
    {
        var (code, output) = await TryRunAsync(directory, cancellationToken, arguments).ConfigureAwait(false);
        return code == 0 ? output : throw new AiSwitchException(ErrorId.InternalError,
            $"git {string.Join(' ', arguments)} failed in '{directory}' (exit code {code}): {output.Trim()}. Isolated mode needs git on PATH.", directory);
    }

    public static async Task<(int ExitCode, string Output)> TryRunAsync(string directory, CancellationToken cancellationToken, params string[] arguments)
    {
        var start = new ProcessStartInfo("git")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["GIT_TERMINAL_PROMPT"] = "0";
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        try
        {
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            return (process.ExitCode, process.ExitCode == 0 ? await output.ConfigureAwait(false) : await error.ConfigureAwait(false) + await output.ConfigureAwait(false));
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
