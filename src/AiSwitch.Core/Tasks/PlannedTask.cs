namespace AiSwitch.Core.Tasks;

/// <summary>
/// One task a request would run (<c>aiswitch run --what-if</c>): where, in what order, with what context.
/// <see cref="After"/> names every task it waits for: the one before it in a sequence or chain, then its DependsOn.
/// </summary>
public sealed record PlannedTask(string TaskId, string? Agent, int Priority, string? After, string? ContextFrom, string Prompt, string WorkingDirectory)
{
    internal static PlannedTask From(TaskUnit unit)
    {
        var waitsFor = (unit.After is null ? unit.DependsOn : [unit.After, .. unit.DependsOn]).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        return new(unit.TaskId, unit.Agent, unit.Priority, waitsFor.Count == 0 ? null : string.Join(", ", waitsFor), unit.ContextFrom, unit.Prompt, unit.WorkingDirectory);
    }
}
