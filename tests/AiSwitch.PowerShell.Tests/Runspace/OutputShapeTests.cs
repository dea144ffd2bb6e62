using System.Text.RegularExpressions;

namespace AiSwitch.PowerShell.Tests.Runspace;

/// <summary>
/// What users do with output objects, through the engine's own Export-Csv and formatter (style.md §18–19): CSV without
/// Select-Object has the identity first and no cell that is a .NET type name; the module's views are the ones used and
/// fit Out-String -Width 80; secrets never reach the screen or a file.
/// </summary>
[Collection(RunspaceCollection.Name)]
public sealed partial class OutputShapeTests : IDisposable
{
    private readonly HostedShell _shell = new();

    public OutputShapeTests()
    {
        _shell.Run(FurnishedHome.Script).Ok();
        FurnishedHome.WriteUsage(_shell);
    }

    /// <summary>Every output type, how to get some, and the column that names each row.</summary>
    public static TheoryData<string, string, string> CsvOutputs => new()
    {
        { "AiSwitch.Preset", "Get-AiPreset", "Name" },
        { "AiSwitch.EnvSnapshot", "Get-AiEnvironmentSnapshot", "SnapshotId" },
        { "AiSwitch.SwitchResult", "Use-AiPreset p1", "Agent" },
        { "AiSwitch.RollbackResult", "Restore-AiEnvironment -SnapshotId s1", "SnapshotId" },
        { "AiSwitch.AgentDefinition", "Register-AiAgent -Name third -Adapter jsonrpc -Command /nonexistent/x -Tag a, b -Argument --x", "Name" },
        { "AiSwitch.AiAgent", "Get-AiAgent first, second", "Name" },
        { "AiSwitch.TaskResult", "Invoke-AiTask -Agent first, second -Prompt hi -Parallel -ErrorAction SilentlyContinue", "TaskId" },
        { "AiSwitch.AggregatedResult", "Invoke-AiTask -Agent first, second -Prompt hi -Parallel -ErrorAction SilentlyContinue | Merge-AiTaskResult -Strategy All", "Strategy" },
        { "AiSwitch.AiTask", "Get-AiTask", "TaskId" },
        { "AiSwitch.TokenUsageRow", "Get-AiTokenUsage", "Group" },
        { "AiSwitch.TokenSummary", "Get-AiTokenUsage -Summary", "InputTokens" },
        { "AiSwitch.TokenQuota", "Get-AiTokenQuota", "Agent" },
        { "AiSwitch.AgentMetricsSample", "Get-AiAgentMetrics", "Agent" },
        { "AiSwitch.Lock", "Get-AiLock -Name r1", "Name" },
        { "AiSwitch.ImportPresetResult", "Import-AiPreset -Path ./import", "Name" },
        { "AiSwitch.ImportUsageResult", "Import-AiTokenUsage -Source ClaudeCode -Path ./claude/projects", "Source" },
    };

    [Theory]
    [MemberData(nameof(CsvOutputs))]
    public void ExportCsvWritesFlatColumnsWithTheIdentityFirst(string typeName, string producer, string firstColumn)
    {
        var written = _shell.Run($"$items = @({producer}); $items | Export-Csv -LiteralPath out.csv; $items").Ok().Output;
        Assert.NotEmpty(written);
        Assert.All(written, item => Assert.Equal(typeName, item.TypeNames[0]));

        var lines = File.ReadAllLines(Path.Combine(_shell.WorkingDirectory, "out.csv"));
        var rows = _shell.Run("Import-Csv -LiteralPath out.csv").Ok().Output;

        Assert.Equal(firstColumn, Columns(lines[0])[0]);
        Assert.Equal(written.Count, rows.Count);
        Assert.Equal(written.Select(o => o.Properties[firstColumn].Value?.ToString()), rows.Select(r => r.Properties[firstColumn].Value?.ToString()));
        var typeNameCells = rows.SelectMany(r => r.Properties.Select(p => (Column: p.Name, Cell: p.Value as string)))
            .Where(c => c.Cell is not null && TypeNameCell().IsMatch(c.Cell))
            .Select(c => $"{c.Column} = {c.Cell}");
        Assert.Equal([], typeNameCells);
    }

    /// <summary>Every table view, how to get some, and its first column's header.</summary>
    public static TheoryData<string, string, string> TableViews => new()
    {
        { "AiSwitch.Preset", "Get-AiPreset", "Name" },
        { "AiSwitch.TaskResult", "Invoke-AiTask -Agent first, second -Prompt hi -Parallel -ErrorAction SilentlyContinue", "Agent" },
        { "AiSwitch.AiTask", "Get-AiTask", "TaskId" },
        { "AiSwitch.TokenUsageRow", "Get-AiTokenUsage", "Group" },
        { "AiSwitch.TokenQuota", "Get-AiTokenQuota", "Agent" },
        { "AiSwitch.EnvSnapshot", "Get-AiEnvironmentSnapshot", "SnapshotId" },
        { "AiSwitch.AgentMetricsSample", "Get-AiAgentMetrics", "Agent" },
        { "AiSwitch.AiAgent", "Get-AiAgent", "Name" },
        { "AiSwitch.Lock", "Get-AiLock", "Name" },
        { "AiSwitch.SwitchResult", "Use-AiPreset p1", "Agent" },
        { "AiSwitch.ImportPresetResult", "Import-AiPreset -Path ./import", "Name" },
    };

    [Theory]
    [MemberData(nameof(TableViews))]
    public void TheModulesTableViewFitsEightyColumns(string typeName, string producer, string firstHeader)
    {
        var lines = Render(typeName, producer);

        var dashes = lines.FindIndex(l => l.StartsWith("----", StringComparison.Ordinal));
        Assert.True(dashes == 1, $"The header of {typeName}'s table wraps onto {dashes} lines at 80 columns:{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");
        Assert.Equal(firstHeader, lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0]);
        Assert.All(lines, line => Assert.True(line.Length <= 80, $"{line.Length} characters: {line}"));
    }

    /// <summary>List views (one property a line) of the types shown as lists, how to get some, and their first label.</summary>
    public static TheoryData<string, string, string> ListViews => new()
    {
        { "AiSwitch.AggregatedResult", "Invoke-AiTask -Agent first, second -Prompt hi -Parallel -ErrorAction SilentlyContinue | Merge-AiTaskResult -Strategy All", "Strategy" },
        { "AiSwitch.TokenSummary", "Get-AiTokenUsage -Summary", "TotalTokens" },
        { "AiSwitch.ImportUsageResult", "Import-AiTokenUsage -Source ClaudeCode -Path ./claude/projects", "Source" },
    };

    [Theory]
    [MemberData(nameof(ListViews))]
    public void TheModulesListViewFitsEightyColumns(string typeName, string producer, string firstLabel)
    {
        var lines = Render(typeName, producer);

        Assert.Equal(firstLabel, lines[0].Split(':')[0].Trim());
        Assert.All(lines, line => Assert.True(line.Length <= 80, $"{line.Length} characters: {line}"));
    }

    [Fact]
    public void ASecretNeverReachesTheScreenOrACsvFile()
    {
        const string secret = "sk-runspace-0123456789WXYZ";
        _shell.Run($"New-AiPreset -Name keyed -Variable @{{ OPENAI_API_KEY = '{secret}' }} | Out-Null").Ok();

        var shown = _shell.Run("""
            $PSStyle.OutputRendering = 'PlainText'
            Get-AiPreset keyed | Out-String -Width 80
            Get-AiPreset keyed | Format-List * | Out-String -Width 80
            Get-AiPreset keyed | ConvertTo-Json -Depth 5
            Use-AiPreset keyed | Out-String -Width 80
            Get-AiEnvironmentSnapshot | Format-List * | Out-String -Width 200
            Get-AiPreset keyed | Export-Csv -LiteralPath presets.csv; Get-Content -Raw presets.csv
            """).Ok();

        var text = string.Join(Environment.NewLine, shown.Strings());
        Assert.Contains("****WXYZ", text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.Equal(secret, Environment.GetEnvironmentVariable("OPENAI_API_KEY"));
    }

    public void Dispose() => _shell.Dispose();

    /// <summary>What the user sees for some objects of one type at 80 columns, without the blank lines around it.</summary>
    private List<string> Render(string typeName, string producer)
    {
        var result = _shell.Run($"$PSStyle.OutputRendering = 'PlainText'; $items = @({producer}); $items[0].PSObject.TypeNames[0]; $items | Out-String -Width 80").Ok();
        Assert.Equal(typeName, result.Strings()[0]);
        return result.Strings()[1]!.Split('\n').Select(l => l.TrimEnd('\r')).SkipWhile(string.IsNullOrWhiteSpace).Reverse().SkipWhile(string.IsNullOrWhiteSpace).Reverse().ToList();
    }

    private static string[] Columns(string header) => header.Split(',').Select(c => c.Trim('"')).ToArray();

    // A .NET type's name where a value should be: System.String[], AiSwitch.EnvSnapshot, <>z__ReadOnlyArray`1[...].
    [GeneratedRegex(@"^(<>|(System|AiSwitch|Microsoft)\.[\w.`]+(\[.*\])?$)")]
    private static partial Regex TypeNameCell();
}
