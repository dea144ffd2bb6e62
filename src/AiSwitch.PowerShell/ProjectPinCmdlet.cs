using System.Management.Automation;

namespace AiSwitch.PowerShell;

/// <summary>
/// What Grant-AiProjectPin and Revoke-AiProjectPin share: the pin named by -Path (the current location without it),
/// one ShouldProcess, one door call. Core: <see cref="Core.Presets.ProjectPinTrust"/>.
/// </summary>
public abstract class ProjectPinCmdlet : AiCmdlet
{
    public const string Default = "Default";

    /// <summary>The pin file, or a folder in its project (searched upward); without it, the current location.</summary>
    [Parameter(ParameterSetName = Default, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string? Path { get; set; }

    /// <summary>What ShouldProcess says the cmdlet does to the pin.</summary>
    private protected abstract string Action { get; }

    /// <summary>The door call, given the pin's full path.</summary>
    private protected abstract ProjectPinStatus Change(string path);

    protected override void ProcessRecord()
    {
        var path = GetUnresolvedProviderPathFromPSPath(Path ?? SessionState.Path.CurrentFileSystemLocation.ProviderPath);
        if (ShouldProcess(path, Action))
        {
            TryInvoke(() => WriteObject(Change(path)), path);
        }
    }
}
