using System.Management.Automation;

namespace AiSwitch.PowerShell.Commands;

/// <summary>Get-AiModelPrice: the price table the ledger prices with, each row with its source and date.</summary>
[Cmdlet(VerbsCommon.Get, "AiModelPrice")]
[OutputType(typeof(AiModelPrice))]
public sealed class GetAiModelPriceCommand : AiCmdlet
{
    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Model { get; set; }

    protected override void ProcessRecord()
    {
        var usage = Session.Usage;
        WriteObject(Run((_, _) => Task.FromResult(usage.Prices(Model))), enumerateCollection: true);
    }
}
