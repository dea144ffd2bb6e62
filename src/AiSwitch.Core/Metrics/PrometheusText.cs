using System.Globalization;
using System.Text;

namespace AiSwitch.Core.Metrics;

/// <summary>
/// Writes the Prometheus text exposition format (version 0.0.4): per family one <c># HELP</c> and one <c># TYPE</c> line
/// before its samples, families never interleaved, metric and label names from <c>[a-zA-Z_:][a-zA-Z0-9_:]*</c> and
/// <c>[a-zA-Z_][a-zA-Z0-9_]*</c>, label values with <c>\\</c>, <c>\"</c> and <c>\n</c> escaped, HELP text with <c>\\</c>
/// and <c>\n</c> escaped, floats in Go's syntax (<c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>), a newline after the last line.
/// </summary>
internal sealed class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new();
    private readonly HashSet<string> _families = new(StringComparer.Ordinal);

    public void Family(string name, string type, string help, IEnumerable<(IReadOnlyList<(string Name, string Value)> Labels, double Value)> samples)
    {
        if (!IsMetricName(name) || !_families.Add(name) || (type == "counter" && !name.EndsWith("_total", StringComparison.Ordinal)))
        {
            throw new ArgumentException($"'{name}' is not a valid new {type} family name.", nameof(name));
        }

        _text.Append("# HELP ").Append(name).Append(' ').Append(help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)).Append('\n');
        _text.Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');
        foreach (var (labels, value) in samples)
        {
            _text.Append(name);
            if (labels.Count > 0)
            {
                _text.Append('{');
                for (var i = 0; i < labels.Count; i++)
                {
                    if (!IsLabelName(labels[i].Name))
                    {
                        throw new ArgumentException($"'{labels[i].Name}' is not a valid label name.", nameof(samples));
                    }

                    _text.Append(i == 0 ? string.Empty : ",").Append(labels[i].Name).Append("=\"").Append(Escape(labels[i].Value)).Append('"');
                }

                _text.Append('}');
            }

            _text.Append(' ').Append(Format(value)).Append('\n');
        }
    }

    public override string ToString() => _text.ToString();

    public static string Format(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    public static bool IsMetricName(string name)
        => name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] is '_' or ':') && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ':');

    public static bool IsLabelName(string name)
        => name.Length > 0 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && !name.StartsWith("__", StringComparison.Ordinal)
           && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static string Escape(string value)
        => value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
