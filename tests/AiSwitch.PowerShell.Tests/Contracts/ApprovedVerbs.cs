using System.Reflection;

namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>
/// PowerShell's approved verbs, read from the const fields of the Verbs* classes in the reference assembly,
/// and AiSwitch's decision, verb by verb, of which verbs change state (and so need SupportsShouldProcess).
/// </summary>
internal static class ApprovedVerbs
{
    private static readonly string[] VerbClasses =
        ["VerbsCommon", "VerbsData", "VerbsLifecycle", "VerbsDiagnostic", "VerbsCommunications", "VerbsSecurity", "VerbsOther"];

    /// <summary>
    /// Verbs that create, change, delete, start, stop, persist or spend something: a cmdlet with one of these
    /// verbs must support -WhatIf/-Confirm. The principle: if running it twice, or by mistake, could leave the
    /// home folder, a process, an environment variable, a file or a bill different, it is here. Invoke is here
    /// because Invoke-AiTask spends money; Export because it writes a file (Export-Csv supports -WhatIf too).
    /// </summary>
    public static readonly IReadOnlySet<string> StateChanging = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        // VerbsCommon
        "Add", "Clear", "Close", "Copy", "Lock", "Move", "New", "Open", "Remove", "Rename", "Reset", "Set", "Switch", "Unlock",
        // VerbsData
        "Backup", "Checkpoint", "Dismount", "Edit", "Export", "Import", "Initialize", "Mount", "Publish", "Restore", "Save", "Sync", "Unpublish", "Update",
        // VerbsLifecycle
        "Disable", "Enable", "Install", "Invoke", "Register", "Restart", "Resume", "Start", "Stop", "Submit", "Suspend", "Uninstall", "Unregister",
        // VerbsDiagnostic, VerbsCommunications, VerbsSecurity, VerbsOther
        "Repair", "Send", "Grant", "Revoke", "Protect", "Unprotect", "Block", "Unblock", "Use",
    };

    /// <summary>
    /// Verbs that only read or compute: no ShouldProcess (it would make -WhatIf promise something meaningless).
    /// Merge is here because AiSwitch merges objects in the pipeline (Merge-AiTaskResult) and persists nothing;
    /// Receive because Receive-AiTaskResult reads finished results, like Receive-Job; Watch and Wait only observe.
    /// </summary>
    public static readonly IReadOnlySet<string> ReadOnly = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Get", "Find", "Search", "Select", "Show", "Format", "Watch", "Wait", "Test", "Measure", "Compare", "Convert",
        "ConvertFrom", "ConvertTo", "Merge", "Receive", "Resolve", "Trace", "Debug", "Ping", "Read", "Out", "Group", "Split", "Join",
    };

    /// <summary>The verbs whose destruction cannot be undone: the only ones that may ask ConfirmImpact High.</summary>
    public static readonly IReadOnlySet<string> Destructive = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "Remove", "Clear", "Unregister",
    };

    public static IReadOnlySet<string> ReadFrom(Assembly automation)
        => VerbClasses
            .Select(name => automation.GetType("System.Management.Automation." + name, throwOnError: true)!)
            .SelectMany(type => type.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(field => field.IsLiteral && field.FieldType.FullName == "System.String")
            .Select(field => (string)field.GetRawConstantValue()!)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);
}
