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
        var candidate = Path.Combine(DependencyFolder, assemblyName.Name + ".dll");
        // Anything not shipped in dependencies/ (the framework itself) comes from the default context.
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        var candidate = Path.Combine(DependencyFolder, unmanagedDllName);
        return File.Exists(candidate) ? LoadUnmanagedDllFromPath(candidate) : IntPtr.Zero;
    }
}
