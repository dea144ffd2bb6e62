namespace AiSwitch.Core.Tasks;

/// <summary>One task a request would run (<c>aiswitch run --what-if</c>): where, in what order, with what context.</summary>
public sealed record PlannedTask(string TaskId, string? Agent, int Priority, string? After, string? ContextFrom, string Prompt, string WorkingDirectory)
{
    internal static PlannedTask From(TaskUnit unit) => new(unit.TaskId, unit.Agent, unit.Priority, unit.After, unit.ContextFrom, unit.Prompt, unit.WorkingDirectory);
}
