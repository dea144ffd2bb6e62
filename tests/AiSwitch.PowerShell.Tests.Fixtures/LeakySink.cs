using AiSwitch.Core.Hosting;

namespace AiSwitch.PowerShell.Tests.Fixtures;

/// <summary>
/// A public type that implements a Core interface: loading it needs AiSwitch.Core, which PowerShell cannot find
/// yet when it enumerates the module's exported types (before OnImport). The import rule must flag it.
/// </summary>
public sealed class LeakySink : IOperationSink
{
    public void WriteObject(object item)
    {
    }

    public void WriteError(AiSwitchException error)
    {
    }

    public void WriteWarning(string message)
    {
    }

    public void WriteVerbose(string message)
    {
    }

    public void WriteProgress(OperationProgress progress)
    {
    }

    public bool ShouldProcess(string target, string action) => false;
}

/// <summary>A public type that only holds a Core object in a field: it loads without Core, so the rule must pass it.</summary>
public sealed class HoldsCoreInAField
{
    private readonly object? _session = null;

    private AiSession? Session => _session as AiSession;

    public bool HasSession => Session is not null;
}

