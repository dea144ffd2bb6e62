using System.Reflection;
using System.Runtime.Loader;
using AiSwitch.PowerShell.Tests.Infrastructure;
using Xunit;

namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>
/// Core and YamlDotNet load from the module's dependencies/ folder into the private context, and stay apart from
/// another module's YamlDotNet in the default context (powershell-yaml ships one).
/// </summary>
public sealed class DependencyLoadContextTests
{
    [Fact]
    public void CoreAndItsYamlDotNetResolveInsideThePrivateContextApartFromTheDefaultOne()
    {
        // Another module's YamlDotNet, loaded first into the default context from its own folder.
        var otherModule = Directory.CreateTempSubdirectory("aiswitch-other-module-").FullName;
        var otherCopy = Path.Combine(otherModule, "YamlDotNet.dll");
        File.Copy(Path.Combine(Repository.DependenciesDir, "YamlDotNet.dll"), otherCopy);
        Assert.False(CoreRuntime.InDefaultContext("YamlDotNet"), "YamlDotNet is already in the default context; the test cannot prove isolation.");
        var otherYaml = AssemblyLoadContext.Default.LoadFromAssemblyPath(otherCopy);

        var context = CoreRuntime.Context;
        var core = CoreRuntime.Core;
        Assert.Same(context, AssemblyLoadContext.GetLoadContext(core));
        Assert.Equal(Path.GetFullPath(Repository.CoreAssemblyPath), core.Location);

        // Resolve YamlDotNet as Core does: through Core's own load context, by the reference Core was built with.
        var yamlReference = core.GetReferencedAssemblies().FirstOrDefault(r => r.Name == "YamlDotNet") ?? new AssemblyName("YamlDotNet");
        var coreYaml = AssemblyLoadContext.GetLoadContext(core)!.LoadFromAssemblyName(yamlReference);
        Assert.Same(context, AssemblyLoadContext.GetLoadContext(coreYaml));
        Assert.Equal(Path.Combine(Repository.DependenciesDir, "YamlDotNet.dll"), coreYaml.Location);
        Assert.NotSame(otherYaml, coreYaml);
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(otherYaml));
        Assert.NotEqual(otherYaml.GetType("YamlDotNet.Serialization.Deserializer"), coreYaml.GetType("YamlDotNet.Serialization.Deserializer"));
        Assert.False(CoreRuntime.InDefaultContext("AiSwitch.Core"), "AiSwitch.Core leaked into the default context.");
    }

    [Fact]
    public void FrameworkAssembliesComeFromTheDefaultContext()
    {
        var runtime = CoreRuntime.Context.LoadFromAssemblyName(new AssemblyName("System.Text.Json"));
        Assert.Same(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(runtime));
    }
}
