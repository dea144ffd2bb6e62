using System.Management.Automation;
using AiSwitch.Core.Tasks;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell;

/// <summary>
/// The parameters Invoke-AiTask and Start-AiTask share. Each pipeline record (a string, or an object from Import-Csv
/// with Prompt, Agent, SystemPrompt… columns) becomes one task; the request runs once every record is in. An empty cell
/// of a row is a value not given; a row with a value out of range is reported (non-terminating) and left out.
/// </summary>
public abstract class TaskRequestCmdlet : AiCmdlet
{
    private readonly List<TaskSpec> _tasks = [];
    private readonly List<string> _agents = [];

    [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string Prompt { get; set; } = string.Empty;

    /// <summary>The agents to run on; a piped value may list several separated by commas.</summary>
    [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(AgentNameCompleter))]
    public string[]? Agent { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    public string? SystemPrompt { get; set; }

    /// <summary>The id other tasks name in -DependsOn; generated when absent.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    public string? TaskId { get; set; }

    // The ranges of these three are checked per record by Core (TaskRequests.Check), not by ValidateRange, which would
    // refuse the null an empty CSV cell becomes.
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    public int? MaxTokens { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    public double? Temperature { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    public int? Priority { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    public string[]? DependsOn { get; set; }

    /// <summary>Tags an agent must carry (with -Distribute Capability).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? Capability { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [EmptyAsNull]
    public string? WorkingDirectory { get; set; }

    /// <summary>The preset the agents run with, for this run only (not taken from the pipeline).</summary>
    [Parameter]
    [ArgumentCompleter(typeof(PresetNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string? Preset { get; set; }

    /// <summary>Switch the agents' environment to -Preset for good (as Switch-AiEnvironment does) before the run, not only for it.</summary>
    [Parameter]
    public SwitchParameter SwitchEnvironment { get; set; }

    [Parameter]
    public SwitchParameter Parallel { get; set; }

    [Parameter]
    public SwitchParameter Sequential { get; set; }

    [Parameter]
    public SwitchParameter Chain { get; set; }

    [Parameter]
    public DistributionStrategy? Distribute { get; set; }

    [Parameter]
    [ValidateRange(0, 10_000)]
    public int ThrottleLimit { get; set; }

    /// <summary>Seconds one attempt may take.</summary>
    [Parameter]
    [ValidateRange(0.001, 604_800.0)]
    public double? Timeout { get; set; }

    [Parameter]
    [ValidateRange(0, 100)]
    public int Retry { get; set; }

    [Parameter]
    [ArgumentCompleter(typeof(AgentNameCompleter))]
    public string[]? Fallback { get; set; }

    [Parameter]
    public TaskCoordinationMode CoordinationMode { get; set; } = TaskCoordinationMode.Loose;

    protected override void ProcessRecord()
    {
        var agents = Split(Agent);
        var task = new TaskSpec
        {
            Prompt = Prompt,
            TaskId = string.IsNullOrWhiteSpace(TaskId) ? null : TaskId,
            SystemPrompt = SystemPrompt,
            Agents = agents.Count == 0 || Distribute is not null ? null : agents,
            MaxTokens = MaxTokens,
            Temperature = Temperature,
            Priority = Priority,
            DependsOn = Split(DependsOn),
            Capabilities = Split(Capability),
            WorkingDirectory = WorkingDirectory is null ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(WorkingDirectory),
        };
        if (TryInvoke(() => TaskRequests.Check(task), task.TaskId ?? task.Prompt))
        {
            _agents.AddRange(agents.Where(a => !_agents.Contains(a, StringComparer.OrdinalIgnoreCase)));
            _tasks.Add(task);
        }
    }

    /// <summary>The request from every record received.</summary>
    protected InvokeTaskRequest BuildRequest() => Invoke(() => TaskRequests.Create(
        _tasks, _agents, Parallel, Sequential, Chain, Distribute,
        ThrottleLimit, Timeout, Retry, Split(Fallback), CoordinationMode,
        SessionState.Path.CurrentFileSystemLocation.ProviderPath, Preset));

    /// <summary>
    /// With -SwitchEnvironment: binds -Preset to the request's agents for good before anything runs (Core:
    /// TaskDoor.SwitchAgentsAsync); each switch is reported with -Verbose. False when -WhatIf (or -Confirm) declined it.
    /// </summary>
    protected bool SwitchAgentsIfAsked(InvokeTaskRequest request)
    {
        if (!SwitchEnvironment)
        {
            return true;
        }

        if (!ShouldProcess(string.Join(", ", request.Agents), $"Switch to preset '{request.Preset}' for good"))
        {
            return false;
        }

        var tasks = Session.Tasks;
        foreach (var result in Run((_, cancellation) => tasks.SwitchAgentsAsync(request, SecretManagementLookup.For(this), cancellation)))
        {
            WriteVerbose($"Agent '{result.Agent}' now runs with preset '{result.CurrentPreset}'"
                + (result.SnapshotId is { } id ? $"; undo with: Restore-AiEnvironment -Agent {result.Agent} -SnapshotId {id}" : "."));
        }

        return true;
    }

    private static List<string> Split(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}

/// <summary>
/// An empty or blank string (an empty cell of an Import-Csv row) binds as null: the value was not given. Without it, ""
/// becomes 0 for a number and fails its range, and the whole row is dropped.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class EmptyAsNullAttribute : ArgumentTransformationAttribute
{
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData) =>
        (inputData is PSObject wrapped ? wrapped.BaseObject : inputData) is string text && string.IsNullOrWhiteSpace(text) ? null : inputData;
}
