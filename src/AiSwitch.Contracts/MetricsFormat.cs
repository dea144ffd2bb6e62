namespace AiSwitch;

/// <summary>Export-AiMetrics / <c>aiswitch metrics export</c>'s formats.</summary>
public enum MetricsFormat
{
    Prometheus,
    Csv,
    Json,
}
