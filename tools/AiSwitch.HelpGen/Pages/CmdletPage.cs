using AiSwitch.HelpGen.Markdown;

namespace AiSwitch.HelpGen.Pages;

/// <summary>
/// The prose of one docs/cmdlets/Verb-Noun.md page. The parameter facts (types, positions, pipeline input, sets)
/// are not here: they come from the cmdlet itself (<see cref="Metadata.CmdletMetadata"/>).
/// </summary>
internal sealed record CmdletPage(
    string File,
    string Name,
    string? Synopsis,
    IReadOnlyList<Block> Description,
    IReadOnlyList<ParameterText> Parameters,
    IReadOnlyList<Example> Examples,
    IReadOnlyList<TypeText> Inputs,
    IReadOnlyList<TypeText> Outputs,
    IReadOnlyList<Block> Notes,
    IReadOnlyList<Block> Errors,
    IReadOnlyList<RelatedLink> RelatedLinks,
    SyntaxBlock? Syntax);

/// <summary>The text under "### -Name" (or "### -A, -B" for text shared by several parameters).</summary>
internal sealed record ParameterText(int Line, IReadOnlyList<string> Names, IReadOnlyList<Block> Text);

/// <summary>"### Example 1: Title", its ```powershell code, and the text that explains it.</summary>
internal sealed record Example(int Line, string Title, string? Code, IReadOnlyList<Block> Remarks);

/// <summary>"### TypeName" under Inputs or Outputs, and what the text says about it.</summary>
internal sealed record TypeText(int Line, string TypeName, IReadOnlyList<Block> Text);

/// <param name="Uri">An absolute address, or empty for a link to another help topic.</param>
internal sealed record RelatedLink(string Text, string Uri);

/// <summary>The page's Syntax block, and the parameters it names (checked against the cmdlet's).</summary>
internal sealed record SyntaxBlock(int Line, IReadOnlyList<string> ParameterNames);
