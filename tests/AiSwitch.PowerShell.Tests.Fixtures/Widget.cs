namespace AiSwitch.PowerShell.Tests.Fixtures;

/// <summary>The fixture's output type: what Get-AiWidget writes and the other fixture cmdlets take by property name.</summary>
public sealed class Widget
{
    public string Name { get; init; } = string.Empty;

    public string Colour { get; init; } = string.Empty;

    public int Size { get; init; }
}

/// <summary>A second output type, for the fixture's format views.</summary>
public sealed class Gadget
{
    public string Label { get; init; } = string.Empty;
}
