using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace AiSwitch.PowerShell;

/// <summary>
/// Runs on Import-Module and Remove-Module. On import it routes AiSwitch.Core, and only it, to the private
/// <see cref="DependencyLoadContext"/>; Core's own references then resolve inside that context. On removal it
/// disposes every runspace's session, which releases held locks and stops the session's agents.
/// </summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    internal const string CoreAssemblyName = "AiSwitch.Core";

    private static readonly DependencyLoadContext Dependencies = new(
        Path.Combine(Path.GetDirectoryName(typeof(ModuleInitializer).Assembly.Location)!, "dependencies"));

    public void OnImport()
    {
        AssemblyLoadContext.Default.Resolving += ResolveCore;
    }

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        RunspaceSessions.DisposeAll();
        AssemblyLoadContext.Default.Resolving -= ResolveCore;
    }

    private static Assembly? ResolveCore(AssemblyLoadContext context, AssemblyName name)
        => string.Equals(name.Name, CoreAssemblyName, StringComparison.Ordinal)
            ? Dependencies.LoadFromAssemblyName(name)
            : null;
}
