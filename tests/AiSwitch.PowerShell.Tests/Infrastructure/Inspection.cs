using System.Reflection;

namespace AiSwitch.PowerShell.Tests.Infrastructure;

/// <summary>
/// A MetadataLoadContext over the built module as PowerShell would see it: the module folder, its dependencies/
/// folder, the PowerShell reference assembly and this runtime. Nothing is executed.
/// </summary>
internal sealed class Inspection : IDisposable
{
    private readonly MetadataLoadContext _context;

    private Inspection(IEnumerable<string> folders)
    {
        var files = folders.Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.dll"))
            .GroupBy(Path.GetFileName, StringComparer.OrdinalIgnoreCase)
            .Select(group => group.First()); // earlier folders win: the module's copy over the runtime's
        _context = new MetadataLoadContext(new PathAssemblyResolver(files));
        Automation = _context.LoadFromAssemblyPath(Repository.AutomationAssemblyPath);
    }

    /// <summary>The cmdlet assembly, Core and the PowerShell reference assembly of the built module.</summary>
    public static Inspection OfModule() => new([Repository.ModuleDir, Repository.DependenciesDir, Repository.PowerShellStandardLibDir, Repository.RuntimeDir]);

    /// <summary>The fixture assembly of deliberately broken cmdlets, with the module beside it for AiCmdlet.</summary>
    public static Inspection OfFixtures() => new([Path.GetDirectoryName(Repository.FixtureAssemblyPath)!, Repository.ModuleDir, Repository.DependenciesDir, Repository.PowerShellStandardLibDir, Repository.RuntimeDir]);

    public Assembly Automation { get; }

    public Assembly Load(string path) => _context.LoadFromAssemblyPath(path);

    public Type AutomationType(string fullName)
        => Automation.GetType(fullName, throwOnError: true)!;

    public void Dispose() => _context.Dispose();
}
