using System.Reflection;
using System.Runtime.Loader;

namespace AiSwitch.PowerShell.Tests.Infrastructure;

/// <summary>
/// The module's AiSwitch.Core, really loaded (not just inspected) the way the module loads it: from dependencies/
/// into a <see cref="DependencyLoadContext"/>. This test project does not reference Core, so the default context
/// stays free of Core and YamlDotNet and the isolation tests mean something.
/// </summary>
internal static class CoreRuntime
{
    private static readonly Lazy<(DependencyLoadContext Context, Assembly Core)> Loaded = new(() =>
    {
        var context = new DependencyLoadContext(Repository.DependenciesDir);
        return (context, context.LoadFromAssemblyName(new AssemblyName("AiSwitch.Core")));
    });

    public static DependencyLoadContext Context => Loaded.Value.Context;

    public static Assembly Core => Loaded.Value.Core;

    public static bool InDefaultContext(string simpleName)
        => AssemblyLoadContext.Default.Assemblies.Any(a => a.GetName().Name == simpleName);
}
