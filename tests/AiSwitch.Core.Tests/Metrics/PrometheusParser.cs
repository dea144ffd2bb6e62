using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace AiSwitch.Core.Tests.Metrics;

/// <summary>
/// A strict parser of the Prometheus text exposition format 0.0.4, written from its specification: it throws at the
/// first deviation. Checks: '\n' line ends and a final newline; HELP and TYPE syntax and escapes; at most one TYPE and
/// one HELP per family, both before its samples; families not interleaved; metric and label names; no reserved "__"
/// label names; label value escapes (only \\, \" and \n); no duplicate label names or duplicate series; values in Go
/// float syntax; counters named *_total with non-negative values.
/// </summary>
public static partial class PrometheusParser
{
    public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

    public sealed record Family(string Name, string Type, string? Help, List<Sample> Samples);

    [GeneratedRegex("^[a-zA-Z_:][a-zA-Z0-9_:]*$")]
    private static partial Regex MetricName();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    public static IReadOnlyDictionary<string, Family> Parse(string text)
    {
        if (text.Length > 0 && !text.EndsWith('\n'))
        {
            throw new FormatException("The exposition must end with a newline.");
        }

        if (text.Contains('\r', StringComparison.Ordinal))
        {
            throw new FormatException("Lines must end with \\n only.");
        }

        var families = new Dictionary<string, Family>(StringComparer.Ordinal);
        var closed = new HashSet<string>(StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        string? current = null;
        var lineNumber = 0;
        foreach (var line in text[..^1].Split('\n'))
        {
            lineNumber++;
            string Where() => $"line {lineNumber}: '{line}'";
            if (line.Length == 0)
            {
                continue;
            }

            if (line.StartsWith('#'))
            {
                var parts = line.Split(' ', 4);
                if (parts.Length >= 3 && parts[0] == "#" && parts[1] is "HELP" or "TYPE")
                {
                    var name = parts[2];
                    if (!MetricName().IsMatch(name))
                    {
                        throw new FormatException($"Bad metric name in {Where()}");
                    }

                    Switch(name);
                    var family = families[name];
                    if (family.Samples.Count > 0)
                    {
                        throw new FormatException($"{parts[1]} after samples of '{name}' in {Where()}");
                    }

                    if (parts[1] == "TYPE")
                    {
                        if (family.Type != "untyped" || parts.Length != 4 || parts[3] is not ("counter" or "gauge" or "histogram" or "summary" or "untyped"))
                        {
                            throw new FormatException($"A second or malformed TYPE in {Where()}");
                        }

                        families[name] = family with { Type = parts[3] };
                    }
                    else
                    {
                        if (family.Help is not null)
                        {
                            throw new FormatException($"A second HELP in {Where()}");
                        }

                        var help = parts.Length == 4 ? parts[3] : string.Empty;
                        CheckEscapes(help, allowQuote: false, Where());
                        families[name] = family with { Help = help };
                    }
                }

                continue; // other comments are allowed
            }

            var sample = ParseSample(line, Where());
            var familyName = sample.Name; // counters and gauges: the sample's name is the family's
            Switch(familyName);
            var owner = families[familyName];
            if (owner.Type == "counter" && (!sample.Name.EndsWith("_total", StringComparison.Ordinal) || sample.Value < 0 || double.IsNaN(sample.Value)))
            {
                throw new FormatException($"A counter sample must be named *_total and be non-negative: {Where()}");
            }

            var id = sample.Name + "{" + string.Join(",", sample.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Key + "=" + l.Value)) + "}";
            if (!series.Add(id))
            {
                throw new FormatException($"Duplicate series {id} in {Where()}");
            }

            owner.Samples.Add(sample);
        }

        return families;

        void Switch(string name)
        {
            if (current == name)
            {
                return;
            }

            if (closed.Contains(name))
            {
                throw new FormatException($"Family '{name}' is interleaved with another family.");
            }

            if (current is not null)
            {
                closed.Add(current);
            }

            current = name;
            families.TryAdd(name, new Family(name, "untyped", null, []));
        }
    }

    private static Sample ParseSample(string line, string where)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ')
        {
            i++;
        }

        var name = line[..i];
        if (!MetricName().IsMatch(name))
        {
            throw new FormatException($"Bad metric name in {where}");
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (line[i] != '}')
            {
                var start = i;
                while (line[i] != '=')
                {
                    i++;
                }

                var label = line[start..i];
                if (!LabelName().IsMatch(label) || label.StartsWith("__", StringComparison.Ordinal))
                {
                    throw new FormatException($"Bad label name '{label}' in {where}");
                }

                if (line[++i] != '"')
                {
                    throw new FormatException($"Label value not quoted in {where}");
                }

                var value = new StringBuilder();
                i++;
                while (line[i] != '"')
                {
                    if (line[i] == '\\')
                    {
                        value.Append(line[++i] switch
                        {
                            '\\' => '\\',
                            '"' => '"',
                            'n' => '\n',
                            _ => throw new FormatException($"Bad escape in a label value in {where}"),
                        });
                    }
                    else
                    {
                        value.Append(line[i]);
                    }

                    i++;
                }

                if (!labels.TryAdd(label, value.ToString()))
                {
                    throw new FormatException($"Label '{label}' given twice in {where}");
                }

                i++;
                if (line[i] == ',')
                {
                    i++;
                }
                else if (line[i] != '}')
                {
                    throw new FormatException($"Expected ',' or '}}' in {where}");
                }
            }

            i++;
        }

        if (i >= line.Length || line[i] != ' ')
        {
            throw new FormatException($"Expected a space before the value in {where}");
        }

        var rest = line[(i + 1)..].Split(' ');
        if (rest.Length is < 1 or > 2 || (rest.Length == 2 && !long.TryParse(rest[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            throw new FormatException($"Expected a value and an optional integer timestamp in {where}");
        }

        var number = rest[0] switch
        {
            "+Inf" => double.PositiveInfinity,
            "-Inf" => double.NegativeInfinity,
            "NaN" => double.NaN,
            var v when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !v.Contains("Infinity", StringComparison.Ordinal) => d,
            _ => throw new FormatException($"Bad value in {where}"),
        };
        return new Sample(name, labels, number);
    }

    private static void CheckEscapes(string text, bool allowQuote, string where)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\' && (i + 1 >= text.Length || (text[i + 1] != '\\' && text[i + 1] != 'n' && !(allowQuote && text[i + 1] == '"'))))
            {
                throw new FormatException($"Bad escape in HELP text in {where}");
            }

            if (text[i] == '\\')
            {
                i++;
            }
        }
    }
}
