using System.Management.Automation;

namespace AiSwitch.PowerShell.Tests.Fixtures.Commands;

// Each cmdlet here breaks exactly one contract; the checker self-tests name the rule that must flag it.

/// <summary>Unapproved verb.</summary>
[Cmdlet("Frob", "AiWidget")]
[OutputType(typeof(Widget))]
public sealed class FrobAiWidgetCommand : AiCmdlet
{
}

/// <summary>Noun without the Ai prefix.</summary>
[Cmdlet(VerbsCommon.Get, "Widget")]
[OutputType(typeof(Widget))]
public sealed class GetWidgetCommand : AiCmdlet
{
}

/// <summary>Not sealed.</summary>
[Cmdlet(VerbsCommon.Get, "AiUnsealed")]
[OutputType(typeof(Widget))]
public class GetAiUnsealedCommand : AiCmdlet
{
}

/// <summary>Derives from PSCmdlet instead of AiCmdlet.</summary>
[Cmdlet(VerbsCommon.Get, "AiBaseless")]
[OutputType(typeof(Widget))]
public sealed class GetAiBaselessCommand : PSCmdlet
{
}

/// <summary>No [OutputType] and not a documented no-output cmdlet.</summary>
[Cmdlet(VerbsCommon.Get, "AiGadget")]
public sealed class GetAiGadgetCommand : AiCmdlet
{
}

/// <summary>[OutputType] names a type that exists nowhere.</summary>
[Cmdlet(VerbsCommon.Get, "AiPhantom")]
[OutputType("AiSwitch.Core.Nowhere.Phantom")]
public sealed class GetAiPhantomCommand : AiCmdlet
{
}

/// <summary>Two parameter sets and no DefaultParameterSetName.</summary>
[Cmdlet(VerbsCommon.Find, "AiWidget")]
[OutputType(typeof(Widget))]
public sealed class FindAiWidgetCommand : AiCmdlet
{
    [Parameter(ParameterSetName = "ByName", Mandatory = true)]
    public string Name { get; set; } = string.Empty;

    [Parameter(ParameterSetName = "ByColour", Mandatory = true)]
    public string Colour { get; set; } = string.Empty;
}

/// <summary>Sets ByColour and ByColourAndSize both bind "-Colour red -Size 3", and neither is the default.</summary>
[Cmdlet(VerbsDiagnostic.Test, "AiWidget", DefaultParameterSetName = "ByName")]
[OutputType(typeof(bool))]
public sealed class TestAiWidgetCommand : AiCmdlet
{
    [Parameter(ParameterSetName = "ByName", Mandatory = true)]
    public string Name { get; set; } = string.Empty;

    [Parameter(ParameterSetName = "ByColour", Mandatory = true)]
    [Parameter(ParameterSetName = "ByColourAndSize", Mandatory = true)]
    public string Colour { get; set; } = string.Empty;

    [Parameter(ParameterSetName = "ByColour")]
    [Parameter(ParameterSetName = "ByColourAndSize", Mandatory = true)]
    public int Size { get; set; }
}

/// <summary>A non-default set that every call binding it also binds the default set: it can never be chosen.</summary>
[Cmdlet(VerbsCommon.Search, "AiWidget", DefaultParameterSetName = "Everything")]
[OutputType(typeof(Widget))]
public sealed class SearchAiWidgetCommand : AiCmdlet
{
    [Parameter(ParameterSetName = "Everything")]
    [Parameter(ParameterSetName = "Shadowed")]
    public string Name { get; set; } = string.Empty;

    [Parameter(ParameterSetName = "Everything")]
    public int Size { get; set; }
}

/// <summary>Two parameters of one type take pipeline input by value in the same set.</summary>
[Cmdlet(VerbsDiagnostic.Measure, "AiWidget")]
[OutputType(typeof(int))]
public sealed class MeasureAiWidgetCommand : AiCmdlet
{
    [Parameter(ValueFromPipeline = true)]
    public string First { get; set; } = string.Empty;

    [Parameter(ValueFromPipeline = true)]
    public string Second { get; set; } = string.Empty;
}

/// <summary>Changes state without SupportsShouldProcess.</summary>
[Cmdlet(VerbsCommon.New, "AiWidget")]
[OutputType(typeof(Widget))]
public sealed class NewAiWidgetCommand : AiCmdlet
{
    [Parameter(Mandatory = true)]
    public string Name { get; set; } = string.Empty;
}

/// <summary>ConfirmImpact High on a verb that does not destroy anything.</summary>
[Cmdlet(VerbsCommon.Reset, "AiWidget", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
[OutputType(typeof(Widget))]
public sealed class ResetAiWidgetCommand : AiCmdlet
{
}

/// <summary>An approved verb nobody has classified as changing state or not.</summary>
[Cmdlet(VerbsCommon.Optimize, "AiWidget")]
[OutputType(typeof(Widget))]
public sealed class OptimizeAiWidgetCommand : AiCmdlet
{
}

/// <summary>Its -Name names an existing widget but offers no completion.</summary>
[Cmdlet(VerbsCommon.Rename, "AiWidget", SupportsShouldProcess = true)]
[OutputType(typeof(Widget))]
public sealed class RenameAiWidgetCommand : AiCmdlet
{
    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public string Name { get; set; } = string.Empty;

    [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
    public string NewName { get; set; } = string.Empty;
}
