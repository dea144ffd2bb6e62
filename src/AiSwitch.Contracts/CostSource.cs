namespace AiSwitch;

/// <summary>Where a result's or a ledger record's cost came from.</summary>
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum CostSource : long
{
    /// <summary>No cost is known: the model is not in the pricing table and the agent gave none.</summary>
    None,
    /// <summary>The agent's own figure (Claude Code's <c>total_cost_usd</c>, an HTTP API's billed cost).</summary>
    Agent,
    /// <summary>Computed by AiSwitch from the pricing table.</summary>
    Pricing,
}
