using System.Reflection;

namespace AiSwitch.PowerShell.Tests.Infrastructure;

/// <summary>Where the built module, the fixtures and the PowerShell reference assembly are, from this assembly's build metadata.</summary>
internal static class Repository
{
    public static string Root { get; } = Metadata("RepositoryRoot");

    public static string ModuleDir { get; } = Path.Combine(Root, "artifacts", "module", "AiSwitch");

    public static string DependenciesDir { get; } = Path.Combine(ModuleDir, "dependencies");

    public static string CmdletAssemblyPath { get; } = Path.Combine(ModuleDir, "AiSwitch.PowerShell.dll");

    public static string CoreAssemblyPath { get; } = Path.Combine(DependenciesDir, "AiSwitch.Core.dll");

    public static string ContractsAssemblyPath { get; } = Path.Combine(ModuleDir, "AiSwitch.Contracts.dll");

    public static string ModuleManifestPath { get; } = Path.Combine(ModuleDir, "AiSwitch.psd1");

    public static string PowerShellStandardLibDir { get; } = Path.Combine(Metadata("PowerShellStandardDir"), "lib", "netstandard2.0");

    public static string AutomationAssemblyPath { get; } = Path.Combine(PowerShellStandardLibDir, "System.Management.Automation.dll");

    public static string FixtureAssemblyPath { get; } = Path.Combine(Root, "artifacts", "fixtures", "AiSwitch.PowerShell.Tests.Fixtures.dll");

    public static string FixtureFilesDir { get; } = Path.Combine(Root, "tests", "AiSwitch.PowerShell.Tests.Fixtures", "ModuleFiles");

    /// <summary>The aiswitch CLI built in this configuration (the project reference builds it first).</summary>
    public static string CliAssemblyPath { get; } = Path.Combine(Root, "src", "AiSwitch.Cli", "bin", Metadata("Configuration"), "net8.0", "aiswitch.dll");

    public static string RuntimeDir { get; } = Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    private static string Metadata(string key)
    {
        var value = typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .SingleOrDefault(a => a.Key == key)?.Value;
        if (string.IsNullOrEmpty(value))
        {
            throw new InvalidOperationException($"Assembly metadata '{key}' is missing; it is set by AiSwitch.PowerShell.Tests.csproj.");
        }

        return value;
    }
}
