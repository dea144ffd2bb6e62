namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>
/// The cmdlet contract, one rule per method. Each returns what is wrong with one cmdlet (empty when it is right),
/// phrased so that the failing test says what to change. The same rules run over the module and over the fixture
/// of broken cmdlets, which proves each one can fail.
/// </summary>
internal static class CmdletRules
{
    public const string BaseClass = "AiSwitch.PowerShell.AiCmdlet";

    public static IEnumerable<string> ApprovedVerb(CmdletDescription cmdlet, IReadOnlySet<string> approvedVerbs)
    {
        if (!approvedVerbs.Contains(cmdlet.Verb))
        {
            yield return $"{cmdlet}: '{cmdlet.Verb}' is not an approved PowerShell verb (Get-Verb lists them).";
        }
    }

    public static IEnumerable<string> NounPrefix(CmdletDescription cmdlet)
    {
        if (!cmdlet.Noun.StartsWith("Ai", StringComparison.Ordinal) || cmdlet.Noun.Length < 3 || !char.IsUpper(cmdlet.Noun[2]))
        {
            yield return $"{cmdlet}: the noun '{cmdlet.Noun}' must start with 'Ai' followed by a capital (Get-AiPreset).";
        }
    }

    public static IEnumerable<string> Sealed(CmdletDescription cmdlet)
    {
        if (!cmdlet.Type.IsSealed)
        {
            yield return $"{cmdlet}: {cmdlet.Type.FullName} must be sealed.";
        }
    }

    public static IEnumerable<string> DerivesFromBase(CmdletDescription cmdlet)
    {
        for (var type = cmdlet.Type.BaseType; type is not null; type = type.BaseType)
        {
            if (type.FullName == BaseClass)
            {
                yield break;
            }
        }

        yield return $"{cmdlet}: {cmdlet.Type.FullName} must derive from {BaseClass} (session, cancellation, error mapping).";
    }

    /// <param name="noOutput">Cmdlets documented to write nothing; they may omit [OutputType].</param>
    public static IEnumerable<string> OutputType(CmdletDescription cmdlet, IReadOnlySet<string> noOutput)
    {
        if (cmdlet.OutputTypes.Count == 0 && !noOutput.Contains(cmdlet.Name))
        {
            yield return $"{cmdlet}: no [OutputType]. Declare what it writes, or add it to the documented no-output list.";
        }

        foreach (var output in cmdlet.OutputTypes)
        {
            if (output.Problem is not null)
            {
                yield return $"{cmdlet}: [OutputType] names '{output.Name}', but {output.Problem}.";
            }
            else if (output.Type!.FullName is "System.Object" or "System.Management.Automation.PSObject")
            {
                yield return $"{cmdlet}: [OutputType({output.Name})] says nothing; name the type it really writes.";
            }
        }
    }

    public static IEnumerable<string> DefaultParameterSet(CmdletDescription cmdlet)
    {
        var sets = cmdlet.ParameterSetNames;
        if (sets.Count > 1 && cmdlet.DefaultParameterSetName is null)
        {
            yield return $"{cmdlet}: {sets.Count} parameter sets ({string.Join(", ", sets)}) but no DefaultParameterSetName.";
        }
        else if (cmdlet.DefaultParameterSetName is { } name && sets.Count > 1 && !sets.Contains(name, StringComparer.OrdinalIgnoreCase))
        {
            yield return $"{cmdlet}: DefaultParameterSetName '{name}' is not one of its parameter sets ({string.Join(", ", sets)}).";
        }
    }

    /// <summary>
    /// A call that names parameters P binds set S when P is within S's parameters and covers S's mandatory ones.
    /// Two sets can both bind one call exactly when each one's mandatory parameters are among the other's parameters.
    /// PowerShell then takes the default set if it is one of the two; otherwise the call fails as ambiguous.
    /// A non-default set is also broken when every call that binds it binds the default set too: it is unreachable.
    /// </summary>
    public static IEnumerable<string> UnambiguousParameterSets(CmdletDescription cmdlet)
    {
        var sets = cmdlet.ParameterSetNames
            .Select(name => (Name: name, All: Names(cmdlet, name, mandatoryOnly: false), Mandatory: Names(cmdlet, name, mandatoryOnly: true)))
            .ToList();
        for (var i = 0; i < sets.Count; i++)
        {
            for (var j = i + 1; j < sets.Count; j++)
            {
                var (a, b) = (sets[i], sets[j]);
                var bothBind = a.Mandatory.IsSubsetOf(b.All) && b.Mandatory.IsSubsetOf(a.All);
                var aIsDefault = IsDefault(cmdlet, a.Name);
                var bIsDefault = IsDefault(cmdlet, b.Name);
                if (bothBind && !aIsDefault && !bIsDefault)
                {
                    var call = string.Join(' ', a.Mandatory.Union(b.Mandatory).Order().Select(p => "-" + p));
                    yield return $"{cmdlet}: parameter sets '{a.Name}' and '{b.Name}' both bind the call '{cmdlet}{(call.Length > 0 ? " " + call : string.Empty)}' and neither is the default. Give one a mandatory parameter the other lacks.";
                }

                var (defaultSet, other) = aIsDefault ? (a, b) : bIsDefault ? (b, a) : (a, a);
                if (defaultSet.Name != other.Name && Shadowed(other, defaultSet))
                {
                    yield return $"{cmdlet}: every call that binds parameter set '{other.Name}' also binds the default set '{defaultSet.Name}', so '{other.Name}' can never be chosen. Give it a mandatory parameter the default set lacks.";
                }
            }
        }
    }

    /// <summary>Two parameters of one type taking pipeline input by value in one set: PowerShell cannot choose.</summary>
    public static IEnumerable<string> OnePipelineValuePerType(CmdletDescription cmdlet)
    {
        foreach (var set in cmdlet.ParameterSetNames)
        {
            var clashes = cmdlet.ParametersIn(set)
                .Where(p => p.Membership.ValueFromPipeline)
                .GroupBy(p => p.Parameter.Type.FullName)
                .Where(g => g.Count() > 1);
            foreach (var clash in clashes)
            {
                yield return $"{cmdlet}: parameters {string.Join(", ", clash.Select(p => "-" + p.Parameter.Name))} of parameter set '{set}' all take {clash.Key} from the pipeline by value; keep one.";
            }
        }
    }

    public static IEnumerable<string> ShouldProcess(CmdletDescription cmdlet)
    {
        if (ApprovedVerbs.StateChanging.Contains(cmdlet.Verb))
        {
            if (!cmdlet.SupportsShouldProcess)
            {
                yield return $"{cmdlet}: '{cmdlet.Verb}' changes state, so the cmdlet needs SupportsShouldProcess = true (-WhatIf, -Confirm).";
            }
        }
        else if (!ApprovedVerbs.ReadOnly.Contains(cmdlet.Verb))
        {
            yield return $"{cmdlet}: the verb '{cmdlet.Verb}' is not classified; add it to ApprovedVerbs.StateChanging or ApprovedVerbs.ReadOnly and say why.";
        }
    }

    public static IEnumerable<string> ConfirmImpact(CmdletDescription cmdlet)
    {
        if (cmdlet.ConfirmImpact == "High" && !ApprovedVerbs.Destructive.Contains(cmdlet.Verb))
        {
            yield return $"{cmdlet}: ConfirmImpact High is for destruction only ({string.Join(", ", ApprovedVerbs.Destructive)}); use Medium or Low.";
        }
    }

    /// <summary>The parameters that name an existing thing; Tab must offer the names (house rule: completers for names).</summary>
    public static readonly IReadOnlySet<string> IdentityParameters = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Name", "Agent", "Preset", "SnapshotId", "TaskId",
    };

    /// <summary>The parameter that a verb fills with a new name, which nothing can complete (Checkpoint -SnapshotId ID).</summary>
    public static readonly IReadOnlyDictionary<string, string> NewIdentityByVerb = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["New"] = "Name",
        ["Register"] = "Name",
        ["Import"] = "Name",
        ["Checkpoint"] = "SnapshotId",
    };

    public static IEnumerable<string> IdentityParametersComplete(CmdletDescription cmdlet)
    {
        var identities = cmdlet.Parameters.Where(p => IdentityParameters.Contains(p.Name)
            && p.Type.FullName is "System.String" or "System.String[]"
            && !(NewIdentityByVerb.TryGetValue(cmdlet.Verb, out var fresh) && string.Equals(p.Name, fresh, StringComparison.OrdinalIgnoreCase)));
        foreach (var parameter in identities.Where(p => !p.Completes))
        {
            yield return $"{cmdlet}: -{parameter.Name} names an existing thing but has no [ArgumentCompleter] (or [ValidateSet]); add the area's name completer.";
        }
    }

    private static HashSet<string> Names(CmdletDescription cmdlet, string set, bool mandatoryOnly)
        => cmdlet.ParametersIn(set)
            .Where(p => !mandatoryOnly || p.Membership.Mandatory)
            .Select(p => p.Parameter.Name)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private static bool IsDefault(CmdletDescription cmdlet, string set)
        => string.Equals(cmdlet.DefaultParameterSetName, set, StringComparison.OrdinalIgnoreCase);

    // Every call P with other.Mandatory ⊆ P ⊆ other.All also binds the default set exactly when
    // other.All ⊆ default.All (the largest P) and default.Mandatory ⊆ other.Mandatory (the smallest P).
    private static bool Shadowed((string Name, HashSet<string> All, HashSet<string> Mandatory) other, (string Name, HashSet<string> All, HashSet<string> Mandatory) defaultSet)
        => other.All.IsSubsetOf(defaultSet.All) && defaultSet.Mandatory.IsSubsetOf(other.Mandatory);
}
