using System.Reflection;

namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>
/// The module folder's shape: the root holds the cmdlet assembly and no dependency (PowerShell would load those
/// into the default context, where another module's copy can clash); dependencies/ holds Core and its packages;
/// nothing ships System.Management.Automation (PowerShell supplies it).
/// </summary>
internal static class ModuleLayout
{
    public const string CmdletAssembly = "AiSwitch.PowerShell.dll";

    public static readonly string[] RequiredDependencies = ["AiSwitch.Core.dll", "YamlDotNet.dll"];

    public static IEnumerable<string> Problems(string moduleDir)
    {
        var rootAssemblies = Directory.EnumerateFiles(moduleDir, "*.dll").Select(Path.GetFileName).ToList();
        foreach (var stray in rootAssemblies.Where(f => f != CmdletAssembly))
        {
            yield return $"{stray} is in the module's root folder; dependencies belong in dependencies/ (loaded in the private context).";
        }

        if (!rootAssemblies.Contains(CmdletAssembly))
        {
            yield return $"{CmdletAssembly} is missing from the module's root folder {moduleDir}.";
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
}
