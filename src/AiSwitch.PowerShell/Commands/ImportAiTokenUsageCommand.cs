using System.Management.Automation;
using AiSwitch.Core.Usage;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Import-AiTokenUsage: adds the model calls in Claude Code's, Codex's or Gemini CLI's own logs to the ledger, each once
/// (importing again adds nothing).
/// </summary>
[Cmdlet(VerbsData.Import, "AiTokenUsage", SupportsShouldProcess = true, DefaultParameterSetName = DefaultSet)]
[OutputType(typeof(ImportUsageResult))]
public sealed class ImportAiTokenUsageCommand : AiCmdlet
{
    public const string DefaultSet = "Default";

    /// <summary>
    /// claude, codex or gemini; ClaudeCode, the old name, is read as claude. A string, not the enum: PowerShell completes
    /// an enum parameter with the enum's own names, whatever its completer says.
    /// </summary>
    [Parameter(ParameterSetName = DefaultSet, Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(UsageSourceCompleter))]
    [ValidateNotNullOrEmpty]
    public string Source { get; set; } = string.Empty;

    /// <summary>Log files or folders to read instead of the source's default places.</summary>
    [Parameter(ParameterSetName = DefaultSet, Position = 1, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[]? Path { get; set; }

    protected override void ProcessRecord()
    {
        var source = Invoke(() => UsageDoor.ImportSource(Source));
        var importer = Session.Usage;
        var paths = Path?.Select(GetUnresolvedProviderPathFromPSPath).ToList();
        var target = paths is null ? string.Join(", ", importer.DefaultRoots(source)) : string.Join(", ", paths);
        if (!ShouldProcess(target, $"Import {source} token usage into the ledger"))
        {
            return;
        }

        var request = new ImportUsageRequest { Source = source, Path = paths };
        if (TryRun((context, cancellationToken) => Task.FromResult(importer.Import(request, context, cancellationToken)), target) is { } imported)
        {
            WriteObject(imported);
        }
    }
}
