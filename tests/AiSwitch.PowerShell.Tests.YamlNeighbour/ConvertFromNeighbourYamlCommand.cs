using System.Collections;
using System.Management.Automation;
using System.Runtime.Loader;
using YamlDotNet.Serialization;

namespace YamlNeighbour;

/// <summary>
/// <c>ConvertFrom-NeighbourYaml 'a: 1'</c>: parses a YAML mapping with this module's own YamlDotNet and says which
/// YamlDotNet did it (version, file, load context), so a test can tell the two modules' copies apart.
/// </summary>
[Cmdlet(VerbsData.ConvertFrom, "NeighbourYaml")]
[OutputType(typeof(NeighbourYaml))]
public sealed class ConvertFromNeighbourYamlCommand : PSCmdlet
{
    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true)]
    public string Yaml { get; set; } = string.Empty;

    protected override void ProcessRecord()
    {
        var data = new DeserializerBuilder().Build().Deserialize<Dictionary<string, string>>(Yaml);
        var yaml = typeof(Deserializer).Assembly;
        WriteObject(new NeighbourYaml(
            new Hashtable(data),
            yaml.GetName().Version?.ToString() ?? string.Empty,
            yaml.Location,
            AssemblyLoadContext.GetLoadContext(yaml)?.Name ?? string.Empty));
    }
}

/// <summary>What was parsed, and by which YamlDotNet.</summary>
public sealed record NeighbourYaml(Hashtable Data, string YamlDotNetVersion, string YamlDotNetPath, string LoadContext);
