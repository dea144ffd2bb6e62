
namespace AiSwitch.Core.Home;

/// <summary>Folders only the user can enter (0700 on Unix), with errors that name the folder.</summary>
internal static class PrivateDirectory
{
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static void Create(string path)
    {
        if (Directory.Exists(path))
        {
            return;
        }

        try
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(path);
            }
            else
            {
                // Create parents first so each new level gets 0700, not just the leaf.
                var parent = Path.GetDirectoryName(path);
                if (!string.IsNullOrEmpty(parent) && !Directory.Exists(parent))
                {
                    Create(parent);
                }

                Directory.CreateDirectory(path, FolderMode);
            }
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new AiSwitchException(ErrorId.PermissionDenied,
                $"Cannot create folder '{path}': permission denied. Check its parent's permissions or set {AiHome.HomeVariable} to a folder you own.",
                path, ex);
        }
        catch (IOException ex)
        {
            throw new AiSwitchException(ErrorId.StorageError,
                $"Cannot create folder '{path}': {ex.Message}", path, ex);
        }
    }
}
