namespace AiSwitch.HelpGen.Metadata;

/// <summary>What PowerShell itself knows about a cmdlet, read from its compiled attributes.</summary>
/// <param name="ParameterSets">The set names in the order help shows them: the default set first.</param>
internal sealed record CmdletMetadata(
    string Verb,
    string Noun,
    bool SupportsShouldProcess,
    IReadOnlyList<string> ParameterSets,
    IReadOnlyList<ParameterMetadata> Parameters)
{
    public const string AllParameterSets = "__AllParameterSets";

    public string Name => $"{Verb}-{Noun}";

    /// <summary>The parameters of one set in the order Get-Command -Syntax shows them: positional, mandatory, the rest.</summary>
    public IReadOnlyList<(ParameterMetadata Parameter, SetMembership Membership)> SyntaxOf(string set)
        => Parameters
            .Select((p, index) => (Parameter: p, Membership: p.In(set), Index: index))
            .Where(x => x.Membership is not null)
            .OrderBy(x => x.Membership!.Position ?? int.MaxValue)
            .ThenBy(x => x.Membership!.Mandatory ? 0 : 1)
            .ThenBy(x => x.Index)
            .Select(x => (x.Parameter, x.Membership!))
            .ToList();
}

/// <param name="TypeName">The type as Get-Help shows it: String[], Int32, SwitchParameter (Nullable unwrapped).</param>
/// <param name="FullTypeName">The full name, for the help's type element.</param>
/// <param name="ValidValues">A [ValidateSet]'s values or an enum's names, or null.</param>
/// <param name="DefaultValue">The value the cmdlet starts with, as help shows it ("None" when it has none).</param>
/// <param name="IsCommon">-WhatIf and -Confirm: PowerShell's, added for ShouldProcess.</param>
internal sealed record ParameterMetadata(
    string Name,
    string TypeName,
    string FullTypeName,
    bool IsSwitch,
    IReadOnlyList<string> Aliases,
    bool SupportsWildcards,
    IReadOnlyList<string>? ValidValues,
    string DefaultValue,
    IReadOnlyList<SetMembership> Sets,
    bool IsCommon = false)
{
    /// <summary>Its membership in a set: its own for that set, else its all-sets one; null when it is not in the set.</summary>
    public SetMembership? In(string set)
        => Sets.FirstOrDefault(s => string.Equals(s.SetName, set, StringComparison.OrdinalIgnoreCase))
            ?? Sets.FirstOrDefault(s => s.SetName == CmdletMetadata.AllParameterSets);

    /// <summary>Mandatory wherever it appears.</summary>
    public bool AlwaysMandatory => Sets.All(s => s.Mandatory);

    /// <summary>"0", or "named" when no set gives it a position.</summary>
    public string PositionText => Sets.Select(s => s.Position).FirstOrDefault(p => p is not null)?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named";

    /// <summary>How it takes pipeline input in any set, as Get-Help words it.</summary>
    public string PipelineInputText => PipelineInput(Sets.Any(s => s.ByPropertyName), Sets.Any(s => s.ByValue));

    /// <summary>"True (ByPropertyName, ByValue)", "True (ByValue)", "False"...</summary>
    public static string PipelineInput(bool byPropertyName, bool byValue) => (byPropertyName, byValue) switch
    {
        (true, true) => "True (ByPropertyName, ByValue)",
        (true, false) => "True (ByPropertyName)",
        (false, true) => "True (ByValue)",
        _ => "False",
    };
}

internal sealed record SetMembership(string SetName, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName);
