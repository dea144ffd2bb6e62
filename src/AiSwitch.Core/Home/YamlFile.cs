using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace AiSwitch.Core.Home;

/// <summary>
/// Reads a small YAML configuration file (a preset, a project pin) into its top-level mapping, with every
/// problem reported as one error that names the file, the line and the column.
/// </summary>
internal static partial class YamlFile
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", RegexOptions.CultureInvariant)]
    private static partial Regex MarkPrefix();

    /// <summary>The top-level mapping of a one-document file. Empty files, comments only, or a non-mapping root fail.</summary>
    public static YamlMappingNode LoadMapping(byte[] bytes, string path, ErrorId errorId, string what)
    {
        string text;
        try
        {
            var start = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
            text = StrictUtf8.GetString(bytes, start, bytes.Length - start);
        }
        catch (DecoderFallbackException ex)
        {
            throw new AiSwitchException(errorId,
                $"{what} '{path}' is not UTF-8 text (bad byte at offset {ex.Index}). Save it as UTF-8.", path, ex);
        }

        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            var at = ex.Message.Contains("tab", StringComparison.OrdinalIgnoreCase) ? FirstIndentingTab(text, ex.Start) : ex.Start;
            throw Invalid(errorId, what, path, at, MarkPrefix().Replace(ex.Message, string.Empty).TrimEnd('.'), ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is YamlScalarNode { Value: null or "" } )
        {
            throw new AiSwitchException(errorId,
                $"{what} '{path}' is empty (or holds only comments). Write its fields as 'key: value' lines, or remove the file.", path);
        }

        if (stream.Documents.Count > 1)
        {
            throw Invalid(errorId, what, path, stream.Documents[1].RootNode.Start, "it holds more than one YAML document (a second '---'); keep one");
        }

        var root = stream.Documents[0].RootNode;
        return root as YamlMappingNode
            ?? throw Invalid(errorId, what, path, root.Start, "the top level must be a mapping of 'key: value' lines");
    }

    // The parser reports a tab in indentation at the start of the enclosing mapping; the tab itself is what the user must fix.
    private static Mark FirstIndentingTab(string text, Mark fallback)
    {
        var lines = text.Split('\n');
        for (var i = (int)Math.Max(0, fallback.Line - 1); i < lines.Length; i++)
        {
            var indent = lines[i].Length - lines[i].TrimStart(' ', '\t').Length;
            var tab = lines[i].IndexOf('\t', 0, indent);
            if (tab >= 0)
            {
                return new Mark(0, i + 1, tab + 1);
            }
        }

        return fallback;
    }

    /// <summary>An error naming the file and the position, with the same three facts in Details for scripts.</summary>
    public static AiSwitchException Invalid(ErrorId errorId, string what, string path, Mark at, string problem, Exception? inner = null)
        => new(errorId, $"{what} '{path}' is invalid at line {at.Line}, column {at.Column}: {problem}. Fix the file, or remove it.", path, inner)
        {
            Details = new Dictionary<string, string>
            {
                ["file"] = path,
                ["line"] = at.Line.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["column"] = at.Column.ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        };

    /// <summary>A plain <c>~</c>, <c>null</c> or empty scalar: YAML's null.</summary>
    public static bool IsNull(YamlNode node)
        => node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    /// <summary>The text of a scalar as written (so <c>0755</c> stays <c>0755</c> and <c>true</c> stays <c>true</c>), or null for a non-scalar or null.</summary>
    public static string? Text(YamlNode node) => node is YamlScalarNode scalar && !IsNull(node) ? scalar.Value ?? string.Empty : null;
}
