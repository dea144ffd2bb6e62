using System.Collections;
using System.Management.Automation;
using AiSwitch.Core.Environments;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Switch-AiEnvironment: switches the session (no -Agent) or each named agent to a preset, all variables or none,
/// after a snapshot. One failed agent is reported and the others go on. Core: <see cref="EnvironmentOperations.SwitchAsync"/>
/// (an agent live in this runspace is switched too, without interrupting its running task). Agents bind from the
/// pipeline by name (Get-AiAgent), a preset by value (Get-AiPreset).
/// </summary>
[Cmdlet(VerbsCommon.Switch, "AiEnvironment", SupportsShouldProcess = true, DefaultParameterSetName = Default)]
[OutputType(typeof(SwitchResult))]
public sealed class SwitchAiEnvironmentCommand : AiCmdlet
{
    public const string Default = "Default";
    public const string PresetObjectSet = "PresetObject";

    [Parameter(ParameterSetName = Default, Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(PresetNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Preset { get; set; } = string.Empty;

    /// <summary>The preset to switch to, as Get-AiPreset writes it: a piped preset binds here, never to -Agent.</summary>
    [Parameter(ParameterSetName = PresetObjectSet, Mandatory = true, ValueFromPipeline = true)]
    public Preset? InputObject { get; set; }

    /// <summary>Agents to switch; without it, this session. 'session' names the session too. A piped agent binds by its Name.</summary>
    [Parameter(ParameterSetName = Default, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Parameter(ParameterSetName = PresetObjectSet)]
    [Alias("Name")]
    [ArgumentCompleter(typeof(EnvironmentAgentCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Agent { get; set; }

    /// <summary>Overrides laid over the preset: NAME = value (a literal, a reference, or a SecureString).</summary>
    [Parameter(ParameterSetName = Default)]
    [Parameter(ParameterSetName = PresetObjectSet)]
    public Hashtable? Variable { get; set; }

    [Parameter(ParameterSetName = Default)]
    [Parameter(ParameterSetName = PresetObjectSet)]
    public SwitchParameter NoSnapshot { get; set; }

    protected override void ProcessRecord()
    {
        // Through Invoke, so a value-less override is an InvalidArgument ErrorRecord like every other Core error.
        var overrides = Invoke(() => Overrides(Variable));
        var operations = Session.Environments;
        var preset = InputObject?.Name ?? Preset;
        foreach (var target in Agent ?? [EnvironmentDoor.SessionTarget])
        {
            if (ShouldProcess(target, $"Switch to preset '{preset}'"))
            {
                if (TryRun((_, cancellation) => operations.SwitchAsync(target, preset, overrides, !NoSnapshot, SecretManagementLookup.For(this), cancellation), target) is { } result)
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
