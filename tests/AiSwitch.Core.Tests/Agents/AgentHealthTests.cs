using System.Globalization;
using AiSwitch.Core.Agents;

namespace AiSwitch.Core.Tests.Agents;

public sealed class AgentHealthTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 22, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(null, 10, true, null)]
    [InlineData(null, 31, false, "no heartbeat in the 31 s since it started (limit 30 s)")]
    [InlineData(20, 45, true, null)]
    [InlineData(20, 51, false, "no heartbeat for 31 s (limit 30 s)")]
    public void Heartbeats_older_than_the_timeout_make_an_agent_unhealthy(int? lastSecond, int nowSecond, bool healthy, string? reason)
    {
        var last = lastSecond is { } s ? Start.AddSeconds(s) : (DateTimeOffset?)null;

        var health = AgentHealth.FromHeartbeat(last, Start, Start.AddSeconds(nowSecond), TimeSpan.FromSeconds(30));

        Assert.Equal((healthy, reason), (health.IsHealthy, health.Reason));
    }

    [Fact]
    public void The_reason_reads_the_same_in_every_culture()
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var health = AgentHealth.FromHeartbeat(Start, Start, Start.AddSeconds(31.5), TimeSpan.FromSeconds(1.5));

            Assert.Equal("no heartbeat for 31.5 s (limit 1.5 s)", health.Reason);
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
