using System.Management.Automation;
using AiSwitch.Core.Errors;

namespace AiSwitch.PowerShell;

/// <summary>The one mapping from Core's <see cref="AiSwitchException"/> to PowerShell's ErrorRecord.</summary>
internal static class ErrorRecordFactory
{
    public static ErrorRecord Create(AiSwitchException exception, object? target = null)
    {
        var category = Enum.TryParse<ErrorCategory>(exception.Kind.PowerShellCategory(), out var parsed)
            ? parsed
            : ErrorCategory.NotSpecified;
        return new ErrorRecord(exception, exception.Id.ToString(), category, target ?? exception.Target);
    }
}
