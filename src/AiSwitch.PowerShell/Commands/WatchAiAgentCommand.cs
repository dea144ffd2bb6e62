using System.Management.Automation;
using AiSwitch.Core.Metrics;
using AiSwitch.PowerShell.Completers;

namespace AiSwitch.PowerShell.Commands;

/// <summary>
/// Watch-AiAgent: a live view of the agents, today's tokens and cost and quota states, redrawn in place until Ctrl+C;
/// with -Once, the rows go down the pipeline instead.
/// </summary>
[Cmdlet(VerbsCommon.Watch, "AiAgent", DefaultParameterSetName = LiveSet)]
[OutputType(typeof(MonitorRow), ParameterSetName = [OnceSet])]
public sealed class WatchAiAgentCommand : AiCmdlet
{
    public const string LiveSet = "Live";
    public const string OnceSet = "Once";

    [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
    [ArgumentCompleter(typeof(UsageAgentCompleter))]
    [ValidateNotNullOrEmpty]
    public string[]? Agent { get; set; }

    /// <summary>Seconds between frames.</summary>
    [Parameter(ParameterSetName = LiveSet)]
    [ValidateRange(0.1, 3600)]
    public double Interval { get; set; } = 2;

    [Parameter(ParameterSetName = OnceSet, Mandatory = true)]
    public SwitchParameter Once { get; set; }

    protected override void ProcessRecord()
    {
        var monitor = Session.Metrics;
        if (Once)
        {
            WriteObject(Invoke(() => monitor.Monitor(Agent)), enumerateCollection: true);
            return;
        }

        Host.UI.Write(MetricsDoor.EnterScreen);
        try
        {
            do
            {
                Host.UI.Write(monitor.MonitorFrame(Invoke(() => monitor.Monitor(Agent)), Width()));
            }
            while (!CancellationToken.WaitHandle.WaitOne(TimeSpan.FromSeconds(Interval)));
        }
        finally
        {
            Host.UI.Write(MetricsDoor.LeaveScreen);
        }
    }

    private int Width()
    {
        try
        {
            return Host.UI.RawUI.WindowSize.Width;
        }
        catch (Exception ex) when (ex is NotImplementedException or System.Management.Automation.Host.HostException or NullReferenceException)
        {
            return 120; // a host without a window (a job, a remote runspace)
        }
    }
}
