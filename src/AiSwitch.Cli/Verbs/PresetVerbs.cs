using System.CommandLine;
using System.Globalization;
using AiSwitch.Core.Hosting;
using AiSwitch.Core.Presets;

namespace AiSwitch.Cli;

/// <summary><c>aiswitch preset list|show|add|set|remove|import</c>: the preset cmdlets' twins over the same PresetStore.</summary>
internal static class PresetVerbs
{
    private static readonly string[] ListColumns = ["Name", "VariableCount", "Tags", "Description"];
    private static readonly string[] ImportColumns = ["Name", "Status", "VariableCount", "Message"];

    public static Command Create(CliContext context)
    {
        var preset = new Command("preset", "Manage presets: named sets of environment variables (base URL, key, model).");
        preset.Subcommands.Add(List(context));
        preset.Subcommands.Add(Show(context));
        preset.Subcommands.Add(Add(context));
        preset.Subcommands.Add(Set(context));
        preset.Subcommands.Add(Remove(context));
        preset.Subcommands.Add(Import(context));
        return preset;
    }

    private static PresetDoor Store(CliContext context) => context.Session.Presets;

    private static Argument<string> NameArgument() => new("name") { Description = "The preset's name." };

    private static Command List(CliContext context)
    {
        var pattern = new Argument<string?>("pattern") { Description = "Only names matching this pattern (* ? [..]).", Arity = ArgumentArity.ZeroOrOne };
        var format = OutputRenderer.FormatOption();
        var command = new Command("list", "List presets, values redacted. A malformed preset file is reported and the others are still listed.") { pattern, format };
        command.SetAction(parse =>
        {
            var sink = context.Sink();
            var presets = PipelineBridge.Run(sink, (operation, _) => Task.FromResult(Store(context).List(parse.GetValue(pattern), operation)), context.Cancellation);
            OutputRenderer.Write(context.Output, presets, parse.GetValue(format), ListColumns);
            return sink.ExitCode;
        });
        return command;
    }

    private static Command Show(CliContext context)
    {
        var name = NameArgument();
        var format = OutputRenderer.FormatOption();
        var command = new Command("show", "Show one preset with its variables (secrets redacted, references as written).") { name, format };
        command.SetAction(parse =>
        {
            Render(context, Store(context).Get(parse.GetValue(name)!), parse.GetValue(format));
            return 0;
        });
        return command;
    }

    private static Command Add(CliContext context)
    {
        var name = NameArgument();
        var pairs = new Argument<string[]>("variables") { Description = "NAME=VALUE pairs. A value may be a reference: env:NAME, file:PATH.", Arity = ArgumentArity.OneOrMore };
        var description = new Option<string?>("--description") { Description = "What the preset is for." };
        var tags = TagOption();
        var force = new Option<bool>("--force") { Description = "Replace a preset of that name." };
        var command = new Command("add", "Create a preset.") { name, pairs, description, tags, force };
        command.SetAction(parse =>
        {
            var created = Store(context).Create(new NewPresetRequest
            {
                Name = parse.GetValue(name)!,
                Variables = PresetDoor.ParseAssignments(parse.GetValue(pairs) ?? []),
                Description = parse.GetValue(description),
                Tags = parse.GetValue(tags),
                Force = parse.GetValue(force),
            });
            Render(context, created, OutputFormat.Table);
            return 0;
        });
        return command;
    }

    private static Command Set(CliContext context)
    {
        var name = NameArgument();
        var pairs = new Argument<string[]>("variables") { Description = "NAME=VALUE pairs to add or replace.", Arity = ArgumentArity.ZeroOrMore };
        var remove = new Option<string[]>("--remove") { Description = "A variable to remove; repeatable." };
        var description = new Option<string?>("--description") { Description = "The new description." };
        var tags = TagOption();
        var command = new Command("set", "Change a preset: add or replace variables, remove some, change its description or tags.") { name, pairs, remove, description, tags };
        command.SetAction(parse =>
        {
            var given = parse.GetValue(pairs) ?? [];
            var updated = Store(context).Update(new SetPresetRequest
            {
                Name = parse.GetValue(name)!,
                Variables = given.Length == 0 ? null : PresetDoor.ParseAssignments(given),
                RemoveVariables = parse.GetValue(remove),
                Description = parse.GetValue(description),
                Tags = parse.GetResult(tags) is null ? null : parse.GetValue(tags),
            });
            Render(context, updated, OutputFormat.Table);
            return 0;
        });
        return command;
    }

    private static Command Remove(CliContext context)
    {
        var name = NameArgument();
        var command = new Command("remove", "Delete a preset's file.") { name };
        command.SetAction(parse =>
        {
            var removed = parse.GetValue(name)!;
            Store(context).Remove(removed);
            context.Output.WriteLine($"Removed preset '{removed}'.");
            return 0;
        });
        return command;
    }

    private static Command Import(CliContext context)
    {
        var path = new Option<string?>("--path") { Description = "The original aiswitch's presets folder (default: $XDG_CONFIG_HOME/aiswitch/presets or ~/.config/aiswitch/presets)." };
        var force = new Option<bool>("--force") { Description = "Replace presets that exist already (otherwise they are skipped)." };
        var format = OutputRenderer.FormatOption();
        var command = new Command("import", "Import the presets of the original Python aiswitch.") { path, force, format };
        command.SetAction(parse =>
        {
            var sink = context.Sink();
            var request = new ImportPresetRequest { Path = parse.GetValue(path), Force = parse.GetValue(force) };
            var results = PipelineBridge.Run(sink, async (operation, token) =>
            {
                var imported = new List<ImportPresetResult>();
                await foreach (var result in Store(context).ImportAsync(request, operation, token).ConfigureAwait(false))
                {
                    imported.Add(result);
                }

                return imported;
            }, context.Cancellation);
            OutputRenderer.Write(context.Output, results, parse.GetValue(format), ImportColumns);
            return sink.ExitCode;
        });
        return command;
    }

    private static Option<string[]> TagOption() => new("--tag", "--tags")
    {
        Description = "A tag; repeatable, or comma-separated.",
        AllowMultipleArgumentsPerToken = false,
    };

    /// <summary>One preset: a label: value block and its variables for a table, the object itself for json and csv.</summary>
    private static void Render(CliContext context, Preset preset, OutputFormat format)
    {
        if (format != OutputFormat.Table)
        {
            OutputRenderer.Write(context.Output, [preset], format, format == OutputFormat.Csv ? [.. ListColumns, "CreatedAt", "UpdatedAt", "Source"] : null);
            return;
        }

        var output = context.Output;
        output.WriteLine($"Name        : {preset.Name}");
        output.WriteLine($"Description : {preset.Description.ReplaceLineEndings(" ")}");
        output.WriteLine($"Tags        : {string.Join(", ", preset.Tags)}");
        output.WriteLine($"CreatedAt   : {Time(preset.CreatedAt)}");
        output.WriteLine($"UpdatedAt   : {Time(preset.UpdatedAt)}");
        output.WriteLine($"Source      : {preset.Source}");
        output.WriteLine($"Variables   : {preset.VariableCount}");
        var width = preset.Variables.Keys.Select(k => k.Length).DefaultIfEmpty(0).Max();
        foreach (var (variable, shown) in preset.Variables)
        {
            output.WriteLine($"  {variable.PadRight(width)}  {shown.ReplaceLineEndings(" ")}");
        }
    }

    private static string Time(DateTimeOffset? time)
        => time?.ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture) ?? string.Empty;
}
