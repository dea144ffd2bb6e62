using System.Reflection;
using System.Runtime.Loader;

namespace AiSwitch.PowerShell;

/// <summary>
/// The private load context for AiSwitch.Core and its dependencies (YamlDotNet, the SDKs), from the module's
/// <c>dependencies/</c> folder. Another module's YamlDotNet in the default context cannot clash with ours.
/// Deliberately free of PowerShell types, so xunit can load and test it.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    public DependencyLoadContext(string dependencyFolder)
        : base("AiSwitch.Dependencies", isCollectible: false)
    {
        DependencyFolder = dependencyFolder;
    }

    public string DependencyFolder { get; }

    protected override Assembly? Load(AssemblyName assemblyName)
    {
        // The framework's own copy wins whenever it is at least as new as the one asked for, so types such as JsonElement
        // are shared with the host. The SDKs need System.Text.Json 10 and friends, which PowerShell 7.4 (.NET 8) lacks:
        // there they come from dependencies/, privately.
        if (FrameworkVersion(assemblyName.Name) is { } inbox && (assemblyName.Version is null || inbox >= assemblyName.Version))
        {
            return null;
        }

        var candidate = Path.Combine(DependencyFolder, assemblyName.Name + ".dll");
        // Anything not shipped in dependencies/ comes from the default context.
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    private static readonly Lazy<Dictionary<string, string>> FrameworkAssemblies = new(() =>
        ((AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string) ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Where(path => Path.GetDirectoryName(path) == Path.GetDirectoryName(typeof(object).Assembly.Location))
            .GroupBy(path => Path.GetFileNameWithoutExtension(path), StringComparer.OrdinalIgnoreCase)
            .ToDictionary(group => group.Key, group => group.First(), StringComparer.OrdinalIgnoreCase));

    /// <summary>The version of the shared framework's copy of an assembly, or null when the framework has none.</summary>
    private static Version? FrameworkVersion(string? name) =>
        name is not null && FrameworkAssemblies.Value.TryGetValue(name, out var path) ? AssemblyName.GetAssemblyName(path).Version : null;

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var candidate = Path.Combine(DependencyFolder, unmanagedDllName);
        return File.Exists(candidate) ? LoadUnmanagedDllFromPath(candidate) : IntPtr.Zero;
    }
}
