namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>What PowerShell reads from a cmdlet class's attributes, as read through a MetadataLoadContext.</summary>
internal sealed record CmdletDescription(
    Type Type,
    string Verb,
    string Noun,
    string? DefaultParameterSetName,
    bool SupportsShouldProcess,
    string ConfirmImpact,
    IReadOnlyList<CmdletParameter> Parameters,
    IReadOnlyList<OutputTypeDeclaration> OutputTypes)
{
    public const string AllParameterSets = "__AllParameterSets";

    public string Name => $"{Verb}-{Noun}";

    /// <summary>The named parameter sets; a cmdlet that names none has the one set <see cref="AllParameterSets"/>.</summary>
    public IReadOnlyList<string> ParameterSetNames
    {
        get
        {
            var named = Parameters.SelectMany(p => p.Sets).Select(s => s.SetName)
                .Where(n => n != AllParameterSets).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            return named.Count > 0 ? named : [AllParameterSets];
        }
    }

    /// <summary>The parameters of one set, with their membership in it (parameters of all sets included).</summary>
    public IReadOnlyList<(CmdletParameter Parameter, ParameterSetMembership Membership)> ParametersIn(string setName)
        => Parameters
            .Select(p => (Parameter: p, Membership: p.Sets.FirstOrDefault(s => string.Equals(s.SetName, setName, StringComparison.OrdinalIgnoreCase))
                ?? p.Sets.FirstOrDefault(s => s.SetName == AllParameterSets)))
            .Where(x => x.Membership is not null)
            .Select(x => (x.Parameter, x.Membership!))
            .ToList();

    public override string ToString() => Name;
}

/// <param name="Completes">It has [ArgumentCompleter], [ArgumentCompletions] or [ValidateSet]: Tab offers values.</param>
internal sealed record CmdletParameter(string Name, Type Type, IReadOnlyList<string> Aliases, IReadOnlyList<ParameterSetMembership> Sets, bool Completes = false)
{
    public bool IsNamed(string name)
        => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase)
            || Aliases.Contains(name, StringComparer.OrdinalIgnoreCase);
}

internal sealed record ParameterSetMembership(string SetName, bool Mandatory, bool ValueFromPipeline, bool ValueFromPipelineByPropertyName);

/// <summary>One type named by an [OutputType]: resolved to a type, or the reason it could not be.</summary>
internal sealed record OutputTypeDeclaration(string Name, Type? Type, string? Problem);
