namespace AiSwitch.HelpGen.Markdown;

/// <summary>One block of a markdown page, with the 1-based line it starts on (for error messages).</summary>
internal abstract record Block(int Line);

internal sealed record Heading(int Line, int Level, string Text) : Block(Line);

internal sealed record Paragraph(int Line, string Text) : Block(Line);

/// <param name="Marker">"-" for a bullet, "1." for a numbered item.</param>
internal sealed record ListItem(int Line, string Marker, string Text) : Block(Line);

internal sealed record CodeBlock(int Line, string Language, IReadOnlyList<string> Lines) : Block(Line);

internal sealed record Table(int Line, IReadOnlyList<string> Rows) : Block(Line);

/// <summary>Something help cannot be built from: the file (and line, when there is one), and what to change.</summary>
internal sealed record HelpProblem(string File, int? Line, string Message)
{
    // MSBuild's canonical error format, so the build lists each problem as an error on its page and line.
    public override string ToString() => Line is { } line ? $"{File}({line}): error AIHELP: {Message}" : $"{File}: error AIHELP: {Message}";
}
