namespace AiSwitch;

/// <summary>Export-AiMetrics / <c>aiswitch metrics export</c>'s formats.</summary>
// long-based so that ConvertTo-Json writes the name, not a number (see TaskState).
public enum MetricsFormat : long
{
    Prometheus,
    Csv,
    Json,
}
