using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AiSwitch.Cli;

public enum OutputFormat
{
    Table,
    Json,
    Csv,
}

/// <summary>
/// Renders output objects the way the cmdlets' format views do: a table of the scalar properties (or the
/// columns a verb names), JSON (snake_case, like the state files and the wire), or CSV (RFC 4180).
/// </summary>
public static class OutputRenderer
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,

        // Output is read by people and by jq, not embedded in HTML: '生产' stays '生产', not '\u751F\u4EA7'.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>The <c>--output-format table|json|csv</c> option every listing verb takes.</summary>
    public static System.CommandLine.Option<OutputFormat> FormatOption() => new("--output-format")
    {
        Description = "table (default), json or csv.",
        DefaultValueFactory = _ => OutputFormat.Table,
    };

    public static void Write<T>(TextWriter output, IReadOnlyList<T> items, OutputFormat format, IReadOnlyList<string>? columns = null)
    {
        switch (format)
        {
            case OutputFormat.Json:
                output.WriteLine(JsonSerializer.Serialize(items, Json));
                break;
            case OutputFormat.Csv:
                WriteCsv(output, items, columns);
                break;
            default:
                WriteTable(output, items, columns);
                break;
        }
    }

    public static void WriteTable<T>(TextWriter output, IReadOnlyList<T> items, IReadOnlyList<string>? columns = null)
    {
        var properties = Columns<T>(columns);
        if (items.Count == 0 || properties.Length == 0)
        {
            return;
        }

        var cells = items.Select(item => properties.Select(p => Cell(p.GetValue(item))).ToArray()).ToList();
        var widths = properties.Select((p, i) => Math.Max(p.Name.Length, cells.Max(row => row[i].Length))).ToArray();
        var line = new StringBuilder();
        AppendRow(line, properties.Select(p => p.Name).ToArray(), widths);
        output.WriteLine(line.ToString().TrimEnd());
        line.Clear();
        AppendRow(line, widths.Select(w => new string('-', w)).ToArray(), widths);
        output.WriteLine(line.ToString().TrimEnd());
        foreach (var row in cells)
        {
            line.Clear();
            AppendRow(line, row, widths);
            output.WriteLine(line.ToString().TrimEnd());
        }
    }

    public static void WriteCsv<T>(TextWriter output, IReadOnlyList<T> items, IReadOnlyList<string>? columns = null)
    {
        var properties = Columns<T>(columns);
        output.WriteLine(string.Join(',', properties.Select(p => CsvField(p.Name))));
        foreach (var item in items)
        {
            output.WriteLine(string.Join(',', properties.Select(p => CsvField(Cell(p.GetValue(item))))));
        }
    }

    private static void AppendRow(StringBuilder line, string[] values, int[] widths)
    {
        for (var i = 0; i < values.Length; i++)
        {
            line.Append(values[i].PadRight(widths[i]));
            if (i < values.Length - 1)
            {
                line.Append("  ");
            }
        }
    }

    private static PropertyInfo[] Columns<T>(IReadOnlyList<string>? names)
    {
        var all = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance);
        if (names is { Count: > 0 })
        {
            return names.Select(n => all.First(p => p.Name == n)).ToArray();
        }

        return all.Where(p => IsScalar(p.PropertyType)).ToArray();
    }

    private static bool IsScalar(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal)
            || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid);
    }

    private static string Cell(object? value) => value switch
    {
        null => string.Empty,
        DateTimeOffset d => d.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        string s => s.ReplaceLineEndings(" "),
        System.Collections.IEnumerable e => string.Join(", ", e.Cast<object?>().Select(Cell)),
        _ => value.ToString() ?? string.Empty,
    };

    private static string CsvField(string value)
        => value.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + value.Replace("\"", "\"\"") + "\"" : value;
}
