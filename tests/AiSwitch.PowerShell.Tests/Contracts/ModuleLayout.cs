using System.Reflection;

namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>
/// The module folder's shape: the root holds the cmdlet assembly and AiSwitch.Contracts (every type a user sees), both
/// loaded in the default context, and no third-party dependency (another module's copy could clash there);
/// dependencies/ holds Core and its packages, loaded privately; nothing ships System.Management.Automation.
/// </summary>
internal static class ModuleLayout
{
    public const string CmdletAssembly = "AiSwitch.PowerShell.dll";

    public const string ContractsAssembly = "AiSwitch.Contracts.dll";

    public static readonly string[] RequiredDependencies =
        ["AiSwitch.Core.dll", "YamlDotNet.dll", "Serilog.dll", "Serilog.Sinks.File.dll", "Serilog.Formatting.Compact.dll"];

    public static IEnumerable<string> Problems(string moduleDir)
    {
        var rootAssemblies = Directory.EnumerateFiles(moduleDir, "*.dll").Select(Path.GetFileName).ToList();
        foreach (var stray in rootAssemblies.Where(f => f is not (CmdletAssembly or ContractsAssembly)))
        {
            yield return $"{stray} is in the module's root folder; dependencies belong in dependencies/ (loaded in the private context).";
        }

        foreach (var missing in new[] { CmdletAssembly, ContractsAssembly }.Where(a => !rootAssemblies.Contains(a)))
        {
            yield return $"{missing} is missing from the module's root folder {moduleDir}.";
        }

        var dependencies = Path.Combine(moduleDir, "dependencies");
        foreach (var missing in RequiredDependencies.Where(d => !File.Exists(Path.Combine(dependencies, d))))
        {
            yield return $"{missing} is missing from {dependencies}.";
        }

        foreach (var automation in Directory.EnumerateFiles(moduleDir, "System.Management.Automation.dll", SearchOption.AllDirectories))
        {
            yield return $"{automation} ships PowerShell's own assembly; it must come from the host.";
        }
    }

    public static bool References(Assembly assembly, string simpleName)
        => assembly.GetReferencedAssemblies().Any(r => string.Equals(r.Name, simpleName, StringComparison.OrdinalIgnoreCase));

    /// <summary>The assemblies a root assembly references that are neither the framework's nor the module's own root ones.</summary>
    public static IEnumerable<string> ThirdPartyReferences(Assembly assembly, IReadOnlySet<string> frameworkNames)
        => assembly.GetReferencedAssemblies().Select(r => r.Name!)
            .Where(n => !frameworkNames.Contains(n) && n is not ("AiSwitch.Contracts" or "System.Management.Automation"))
            .Order(StringComparer.Ordinal);
}
