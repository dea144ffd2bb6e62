using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace AiSwitch.PowerShell.Tests.Fixtures.Commands;

// Cmdlets every checker must pass: they prove the checkers do not over-report.

[Cmdlet(VerbsCommon.Get, "AiWidget", DefaultParameterSetName = ByName)]
[OutputType(typeof(Widget))]
public sealed class GetAiWidgetCommand : AiCmdlet
{
    public const string ByName = "ByName";
    public const string ByColour = "ByColour";

    [Parameter(ParameterSetName = ByName, Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(WidgetNameCompleter))]
    public string[]? Name { get; set; }

    [Parameter(ParameterSetName = ByColour, Mandatory = true)]
    public string Colour { get; set; } = string.Empty;
}

[Cmdlet(VerbsCommon.Remove, "AiWidget", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High, DefaultParameterSetName = ByName)]
public sealed class RemoveAiWidgetCommand : AiCmdlet
{
    public const string ByName = "ByName";
    public const string ByObject = "ByObject";

    [Parameter(ParameterSetName = ByName, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
    [Alias("WidgetName")]
    [ArgumentCompleter(typeof(WidgetNameCompleter))]
    public string[] Name { get; set; } = [];

    [Parameter(ParameterSetName = ByObject, Mandatory = true, ValueFromPipeline = true)]
    public Widget? InputObject { get; set; }
}

[Cmdlet(VerbsCommon.Set, "AiWidget", SupportsShouldProcess = true)]
[OutputType(typeof(Widget))]
public sealed class SetAiWidgetCommand : AiCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [ValidateSet("small", "large")]
    public string Name { get; set; } = string.Empty;

    [Parameter]
    public int Size { get; set; }
}

/// <summary>Completes widget names (a fixed list: the fixture has no store).</summary>
public sealed class WidgetNameCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        => new[] { "red", "blue" }.Where(n => n.StartsWith(wordToComplete, StringComparison.OrdinalIgnoreCase)).Select(n => new CompletionResult(n));
}
