using System.Xml.Linq;
using AiSwitch.HelpGen.Markdown;
using AiSwitch.HelpGen.Metadata;
using AiSwitch.HelpGen.Pages;

namespace AiSwitch.HelpGen.Maml;

/// <summary>
/// Writes the MAML PowerShell's Get-Help reads from &lt;Assembly&gt;.dll-Help.xml: one command:command per cmdlet,
/// facts from the cmdlet's metadata, prose from its page.
/// </summary>
internal static class MamlWriter
{
    public static readonly XNamespace Msh = "http://msh";
    public static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    public static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    public static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    // PowerShell's own words for the parameters it adds to ShouldProcess cmdlets, used when a page does not say more.
    private static readonly Dictionary<string, string> CommonText = new(StringComparer.OrdinalIgnoreCase)
    {
        ["WhatIf"] = "Shows what would happen if the cmdlet runs. The cmdlet is not run.",
        ["Confirm"] = "Prompts you for confirmation before running the cmdlet.",
    };

    public static XDocument Write(IEnumerable<(CmdletMetadata Cmdlet, CmdletPage Page)> commands)
        => new(
            new XDeclaration("1.0", "utf-8", null),
            new XElement(
                Msh + "helpItems",
                new XAttribute("schema", "maml"),
                commands.Select(c => CommandElement(c.Cmdlet, c.Page))));

    private static XElement CommandElement(CmdletMetadata cmdlet, CmdletPage page)
        => new(
            Command + "command",
            new XAttribute(XNamespace.Xmlns + "maml", Maml),
            new XAttribute(XNamespace.Xmlns + "command", Command),
            new XAttribute(XNamespace.Xmlns + "dev", Dev),
            new XElement(
                Command + "details",
                new XElement(Command + "name", cmdlet.Name),
                new XElement(Command + "verb", cmdlet.Verb),
                new XElement(Command + "noun", cmdlet.Noun),
                Description([page.Synopsis ?? string.Empty])),
            Description(page.Description.Select(Inline.ToText)),
            new XElement(
                Command + "syntax",
                cmdlet.ParameterSets.Select(set => new XElement(
                    Command + "syntaxItem",
                    new XElement(Maml + "name", cmdlet.Name),
                    cmdlet.SyntaxOf(set).Select(x => Parameter(x.Parameter, x.Membership))))),
            new XElement(
                Command + "parameters",
                Ordered(cmdlet, page).Select(p => Parameter(p, ParameterParas(p, page)))),
            new XElement(Command + "inputTypes", page.Inputs.Select(t => TypeElement("inputType", t))),
            new XElement(Command + "returnValues", page.Outputs.Select(t => TypeElement("returnValue", t))),
            new XElement(
                Maml + "alertSet",
                new XElement(
                    Maml + "alert",
                    Paras(page.Notes.Select(Inline.ToText)
                        .Concat(page.Errors.Count == 0 ? [] : page.Errors.Select(Inline.ToText).Prepend("Errors:"))))),
            new XElement(
                Command + "examples",
                page.Examples.Select(e => new XElement(
                    Command + "example",
                    new XElement(Maml + "title", $"---------- {e.Title} ----------"),
                    new XElement(Dev + "code", e.Code ?? string.Empty),
                    // The empty last paragraph is the blank line Get-Help otherwise leaves out before the next example.
                    new XElement(Dev + "remarks", Paras(e.Remarks.Select(Inline.ToText).Append(string.Empty)))))),
            new XElement(
                Command + "relatedLinks",
                page.RelatedLinks.Select(l => new XElement(
                    Maml + "navigationLink",
                    new XElement(Maml + "linkText", l.Text),
                    new XElement(Maml + "uri", l.Uri)))));

    /// <summary>The page's order, then the parameters it leaves to PowerShell's words (-WhatIf, -Confirm).</summary>
    private static IEnumerable<ParameterMetadata> Ordered(CmdletMetadata cmdlet, CmdletPage page)
        => page.Parameters.SelectMany(t => t.Names)
            .Select(n => cmdlet.Parameters.FirstOrDefault(p => string.Equals(p.Name, n, StringComparison.OrdinalIgnoreCase)))
            .OfType<ParameterMetadata>()
            .Concat(cmdlet.Parameters)
            .Distinct();

    private static List<string> ParameterParas(ParameterMetadata parameter, CmdletPage page)
    {
        var text = page.Parameters.FirstOrDefault(t => t.Names.Contains(parameter.Name, StringComparer.OrdinalIgnoreCase));
        return text is not null ? text.Text.Select(Inline.ToText).ToList()
            : CommonText.TryGetValue(parameter.Name, out var common) && parameter.IsCommon ? [common]
            : [];
    }

    /// <summary>A parameter of one syntax line: its membership in that line's set decides how it shows.</summary>
    private static XElement Parameter(ParameterMetadata parameter, SetMembership membership)
        => Parameter(
            parameter,
            membership.Mandatory,
            membership.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named",
            ParameterMetadata.PipelineInput(membership.ByPropertyName, membership.ByValue),
            description: null, // Get-Help shows a parameter's text in the parameter list, never in a syntax line
            parameter switch
            {
                { ValidValues: { } values } => new XElement(
                    Command + "parameterValueGroup",
                    values.Select(v => new XElement(Command + "parameterValue", new XAttribute("required", "false"), new XAttribute("variableLength", "false"), v))),
                { IsSwitch: true } => null, // a switch in a syntax line is just [-Name]
                _ => ParameterValue(parameter),
            });

    /// <summary>A parameter of the parameter list: its text, and what holds across all its sets.</summary>
    private static XElement Parameter(ParameterMetadata parameter, IEnumerable<string> text)
        => Parameter(parameter, parameter.AlwaysMandatory, parameter.PositionText, parameter.PipelineInputText, Description(text), ParameterValue(parameter));

    private static XElement Parameter(ParameterMetadata parameter, bool required, string position, string pipelineInput, XElement? description, XElement? value)
        => new(
            Command + "parameter",
            new XAttribute("required", Bool(required)),
            new XAttribute("variableLength", Bool(IsArray(parameter))),
            new XAttribute("globbing", Bool(parameter.SupportsWildcards)),
            new XAttribute("pipelineInput", pipelineInput),
            new XAttribute("position", position),
            new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            description,
            value,
            new XElement(Dev + "type", new XElement(Maml + "name", parameter.FullTypeName), new XElement(Maml + "uri")),
            new XElement(Dev + "defaultValue", parameter.DefaultValue));

    // A switch's value is optional ("-Force [<SwitchParameter>]"); any other parameter's is required ("-Name <String>").
    private static XElement ParameterValue(ParameterMetadata parameter)
        => new(
            Command + "parameterValue",
            new XAttribute("required", Bool(!parameter.IsSwitch)),
            new XAttribute("variableLength", Bool(IsArray(parameter))),
            parameter.TypeName);

    private static bool IsArray(ParameterMetadata parameter) => parameter.TypeName.EndsWith("[]", StringComparison.Ordinal);

    private static XElement TypeElement(string name, TypeText type)
        => new(
            Command + name,
            new XElement(Dev + "type", new XElement(Maml + "name", type.TypeName)),
            Description(type.Text.Select(Inline.ToText)));

    private static XElement Description(IEnumerable<string> paras) => new(Maml + "description", Paras(paras));

    private static IEnumerable<XElement> Paras(IEnumerable<string> paras) => paras.Select(p => new XElement(Maml + "para", p));

    private static string Bool(bool value) => value ? "true" : "false";
}
