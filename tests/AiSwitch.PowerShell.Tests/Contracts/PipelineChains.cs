using System.Reflection;

namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>
/// Whether "Upstream | Downstream" binds: some parameter set of the downstream cmdlet has every mandatory
/// parameter bindable from each type the upstream cmdlet declares it writes (by property name or alias with
/// ValueFromPipelineByPropertyName, or the object itself by value), and binds at least one parameter from it.
/// </summary>
internal static class PipelineChains
{
    public static string? Check(IReadOnlyDictionary<string, CmdletDescription> cmdlets, string upstream, string downstream)
    {
        var missing = new[] { upstream, downstream }.Where(name => !cmdlets.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            return $"{upstream} | {downstream}: {string.Join(" and ", missing)} {(missing.Count == 1 ? "is" : "are")} not in the cmdlet assembly (yet). Found: {(cmdlets.Count == 0 ? "no cmdlets" : string.Join(", ", cmdlets.Keys.Order()))}.";
        }

        var (up, down) = (cmdlets[upstream], cmdlets[downstream]);
        var outputs = up.OutputTypes.Where(o => o.Type is not null).Select(o => o.Type!).ToList();
        if (outputs.Count == 0)
        {
            return $"{upstream} | {downstream}: {upstream} declares no resolvable [OutputType], so nothing is known to flow.";
        }

        var problems = outputs.Select(output => Explain(down, output)).OfType<string>().ToList();
        return problems.Count == 0 ? null : $"{upstream} | {downstream}: " + string.Join(" ", problems);
    }

    private static string? Explain(CmdletDescription down, Type output)
    {
        var properties = output.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead)
            .Select(p => p.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
        var reasons = new List<string>();
        foreach (var set in down.ParameterSetNames)
        {
            var parameters = down.ParametersIn(set);
            var unbound = parameters.Where(p => p.Membership.Mandatory && !Binds(p.Parameter, p.Membership, output, properties))
                .Select(p => "-" + p.Parameter.Name)
                .ToList();
            var anyBound = parameters.Any(p => Binds(p.Parameter, p.Membership, output, properties));
            if (unbound.Count == 0 && anyBound)
            {
                return null;
            }

            reasons.Add(unbound.Count > 0
                ? $"set '{set}' needs {string.Join(", ", unbound)}"
                : $"set '{set}' takes nothing from it");
        }

        return $"no parameter set of {down} binds from {output.FullName} (properties: {string.Join(", ", properties.Order())}): {string.Join("; ", reasons)}.";
    }

    private static bool Binds(CmdletParameter parameter, ParameterSetMembership membership, Type output, HashSet<string> properties)
    {
        if (membership.ValueFromPipelineByPropertyName
            && (properties.Contains(parameter.Name) || parameter.Aliases.Any(properties.Contains)))
        {
            return true;
        }

        return membership.ValueFromPipeline && Accepts(parameter.Type, output);
    }

    private static bool Accepts(Type parameterType, Type output)
    {
        var target = parameterType.IsArray ? parameterType.GetElementType()! : parameterType;
        return target.FullName is "System.Object" or "System.Management.Automation.PSObject" || target.IsAssignableFrom(output);
    }
}
