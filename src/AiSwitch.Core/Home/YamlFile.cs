using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace AiSwitch.Core.Home;

/// <summary>
/// Reads a small YAML configuration file (a preset, a project pin) into its top-level mapping, with every
/// problem reported as one error that names the file, the line and the column.
/// </summary>
internal static partial class YamlFile
{
    /// <summary>1 MiB: AiSwitch's YAML files are written by hand and hold a few kilobytes; more is not one of them.</summary>
    public const int MaxBytes = 1024 * 1024;

    /// <summary>
    /// The deepest nesting of lists and mappings accepted. Ours need four; the parser builds its tree recursively, so a
    /// file nested 40,000 levels deep (80 KB of brackets) would overflow the stack and kill the process, uncatchably.
    /// </summary>
    public const int MaxDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", RegexOptions.CultureInvariant)]
    private static partial Regex MarkPrefix();

    /// <summary>The top-level mapping of a one-document file. Empty files, comments only, or a non-mapping root fail.</summary>
    public static YamlMappingNode LoadMapping(byte[] bytes, string path, ErrorId errorId, string what)
    {
        if (bytes.Length > MaxBytes)
        {
            throw new AiSwitchException(errorId,
                $"{what} '{path}' is {Size(bytes.Length)}, over the {Size(MaxBytes)} limit for AiSwitch's YAML files, so it was not read. " +
                "It cannot be one AiSwitch wrote: shorten it, or remove it.", path)
            {
                Details = new Dictionary<string, string> { ["file"] = path, ["max_bytes"] = MaxBytes.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            };
        }

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
            CheckDepth(text, path, errorId, what);
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

    /// <summary>Walks the parser's events (a loop, no recursion) so a file nested too deep never reaches the tree builder.</summary>
    private static void CheckDepth(string text, string path, ErrorId errorId, string what)
    {
        var parser = new Parser(new StringReader(text));
        var depth = 0;
        while (parser.MoveNext())
        {
            switch (parser.Current)
            {
                case SequenceStart or MappingStart when ++depth > MaxDepth:
                    throw Invalid(errorId, what, path, parser.Current.Start,
                        $"it nests lists or mappings more than {MaxDepth} levels deep, the limit; AiSwitch's files need a few levels");
                case SequenceEnd or MappingEnd:
                    depth--;
                    break;
            }
        }
    }

    private static string Size(long bytes) => bytes >= 1024 * 1024
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MiB")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{bytes} bytes");

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
