using System.Collections;
using System.Management.Automation;
using AiSwitch.Core.Environments;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Switch-AiEnvironment: switches the session (no -Agent) or each named agent to a preset, all variables or none,
/// after a snapshot. One failed agent is reported and the others go on. Core: <see cref="EnvironmentOperations.SwitchAsync"/>
/// (an agent live in this runspace is switched too, without interrupting its running task).
/// </summary>
[Cmdlet(VerbsCommon.Switch, "AiEnvironment", SupportsShouldProcess = true, DefaultParameterSetName = Default)]
[OutputType(typeof(SwitchResult))]
public sealed class SwitchAiEnvironmentCommand : AiCmdlet
{
    public const string Default = "Default";

    [Parameter(ParameterSetName = Default, Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(PresetNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Preset { get; set; } = string.Empty;

    /// <summary>Agents to switch; without it, this session. 'session' names the session too.</summary>
    [Parameter(ParameterSetName = Default, Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(EnvironmentAgentCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Agent { get; set; }

    /// <summary>Overrides laid over the preset: NAME = value (a literal, a reference, or a SecureString).</summary>
    [Parameter(ParameterSetName = Default)]
    public Hashtable? Variable { get; set; }

    [Parameter(ParameterSetName = Default)]
    public SwitchParameter NoSnapshot { get; set; }

    protected override void ProcessRecord()
    {
        // Through Invoke, so a value-less override is an InvalidArgument ErrorRecord like every other Core error.
        var overrides = Invoke(() => Overrides(Variable));
        var operations = Session.Environments;
        foreach (var target in Agent ?? [EnvironmentDoor.SessionTarget])
        {
            if (ShouldProcess(target, $"Switch to preset '{Preset}'"))
            {
                if (TryRun((_, cancellation) => operations.SwitchAsync(target, Preset, overrides, !NoSnapshot, SecretManagementLookup.For(this), cancellation), target) is { } result)
                {
                    WriteObject(result);
                }
            }
        }
    }

    private static IReadOnlyDictionary<string, string>? Overrides(Hashtable? variables)
    {
        var overrides = variables is null ? null : PresetParameters.Variables(variables);
        if (overrides?.FirstOrDefault(v => v.Value is null) is { Key: { } empty })
        {
            throw new AiSwitchException(ErrorId.InvalidArgument,
                $"-Variable {empty} has no value. Give it a value, or leave it out to keep the preset's.", empty);
        }

        return overrides;
    }
}
