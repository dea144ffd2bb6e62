using System.Management.Automation;

namespace AiSwitch.PowerShell.Tests.Fixtures.Commands;

// For the help generator's tests: parameters whose starting values help can and cannot read from the class.

[Cmdlet(VerbsLifecycle.Wait, "AiWidget", DefaultParameterSetName = Default)]
[OutputType(typeof(Widget))]
public sealed class WaitAiWidgetCommand : AiCmdlet
{
    public const string Default = "Default";

    [Parameter(ParameterSetName = Default)]
    public double Timeout { get; set; } = TimeSpan.FromMinutes(1).TotalSeconds;

    [Parameter(ParameterSetName = Default)]
    [PSDefaultValue(Value = 5)]
    public double Interval { get; set; } = TimeSpan.FromSeconds(5).TotalSeconds;

    [Parameter(ParameterSetName = Default)]
    public string Colour { get; set; } = "red";

    [Parameter(ParameterSetName = Default)]
    public int Count { get; set; }

    [Parameter(ParameterSetName = Default)]
    public int? Limit { get; set; }

    [Parameter(ParameterSetName = Default)]
    public string[] Tag { get; set; } = [];
}
