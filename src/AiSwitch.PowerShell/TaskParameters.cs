using System.Management.Automation;
using AiSwitch.Core.Tasks;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell;

/// <summary>
/// The parameters Invoke-AiTask and Start-AiTask share. Each pipeline record (a string, or an object from Import-Csv
/// with Prompt, Agent, SystemPrompt… columns) becomes one task; the request runs once every record is in.
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
    public string? SystemPrompt { get; set; }

    /// <summary>The id other tasks name in -DependsOn; generated when absent.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    public string? TaskId { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, int.MaxValue)]
    public int? MaxTokens { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(0.0, 2.0)]
    public double? Temperature { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateRange(1, 10)]
    public int? Priority { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(TaskIdCompleter))]
    public string[]? DependsOn { get; set; }

    /// <summary>Tags an agent must carry (with -Distribute Capability).</summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string[]? Capability { get; set; }

    [Parameter(ValueFromPipelineByPropertyName = true)]
    public string? WorkingDirectory { get; set; }

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
        _agents.AddRange(agents.Where(a => !_agents.Contains(a, StringComparer.OrdinalIgnoreCase)));
        _tasks.Add(new TaskSpec
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
        });
    }

    /// <summary>The request from every record received.</summary>
    protected InvokeTaskRequest BuildRequest() => Invoke(() => TaskRequests.Create(
        _tasks, _agents, Parallel, Sequential, Chain, Distribute,
        ThrottleLimit, Timeout, Retry, Split(Fallback), CoordinationMode,
        SessionState.Path.CurrentFileSystemLocation.ProviderPath));

    private static List<string> Split(string[]? values) =>
        [.. (values ?? []).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];
}
