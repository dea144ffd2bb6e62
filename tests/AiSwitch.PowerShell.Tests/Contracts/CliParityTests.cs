using System.Diagnostics;
using System.Text.RegularExpressions;
using AiSwitch.PowerShell.Tests.Infrastructure;
using Xunit;

namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>
/// docs/cli.md promises that <c>run</c>, <c>apply</c> and <c>task start</c> build the same request as Invoke-AiTask and
/// Start-AiTask. This compares what a user sees: each cmdlet parameter (read from the built module) against the
/// options in the verb's own <c>--help</c> (the built CLI), so a parameter added to one front fails here until the
/// other has it too.
/// </summary>
public sealed partial class CliParityTests
{
    /// <summary>Parameters whose CLI twin is not an option of the same kebab-case name, and why.</summary>
    private static readonly Dictionary<string, string?> Renamed = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Prompt"] = "--task",   // repeatable: several prompts on one command line, as piped strings are to the cmdlet
        ["Agent"] = "--agents",  // the seed's name (aiswitch run --agents claude,codex)
        ["AsJob"] = null,        // Invoke-AiTask -AsJob is the verb 'task start'
        ["SwitchEnvironment"] = "--switch-env", // the seed's name (000 §3.4)
    };

    /// <summary>Options the cmdlets have no parameter for: they stand for another cmdlet in the pipeline or are the CLI's own.</summary>
    private static readonly HashSet<string> CliOnly = new(StringComparer.Ordinal)
    {
        "--aggregate",      // | Merge-AiTaskResult -Strategy
        "--output-format",  // | ConvertTo-Json, | Export-Csv
        "--what-if",        // -WhatIf, a common parameter
        "--help",
        "--shell", "--no-snapshot", // apply's own form, which prints lines for the shell
    };

    public static TheoryData<string, string> Verbs => new()
    {
        { "Invoke-AiTask", "run" },
        { "Invoke-AiTask", "apply" },
        { "Start-AiTask", "task start" },
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public void EveryParameterOfTheCmdletIsAnOptionOfTheVerb(string cmdlet, string verb)
    {
        var options = Options(verb);
        var missing = Parameters(cmdlet)
            .Select(p => (Parameter: p, Option: Twin(p, verb)))
            .Where(x => x.Option is not null && !options.Contains(x.Option))
            .Select(x => $"-{x.Parameter} has no {x.Option}")
            .ToList();

        Assert.True(missing.Count == 0, $"'aiswitch {verb}' lacks what {cmdlet} takes: {string.Join("; ", missing)}");
    }

    [Theory]
    [MemberData(nameof(Verbs))]
    public void EveryOptionOfTheVerbIsAParameterOfTheCmdlet(string cmdlet, string verb)
    {
        var twins = Parameters(cmdlet).Select(p => Twin(p, verb)).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var extra = Options(verb).Where(o => !twins.Contains(o) && !CliOnly.Contains(o)).ToList();

        Assert.True(extra.Count == 0, $"'aiswitch {verb}' has options {cmdlet} does not: {string.Join(", ", extra)}");
    }

    /// <summary>The option standing for a parameter on this verb; null when the verb takes it another way.</summary>
    private static string? Twin(string parameter, string verb)
    {
        if (parameter == "Preset" && verb == "apply")
        {
            return null; // aiswitch apply PRESET: the argument is the preset
        }

        return Renamed.TryGetValue(parameter, out var renamed) ? renamed : "--" + Kebab().Replace(parameter, "-$1").ToLowerInvariant();
    }

    private static List<string> Parameters(string cmdlet) =>
        [.. InspectedAssembly.Module.ByName[cmdlet].Parameters.Select(p => p.Name)];

    // Each verb's help is read once for both directions of the comparison.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, HashSet<string>> Help = new(StringComparer.Ordinal);

    /// <summary>The long options listed by <c>aiswitch VERB --help</c>, as a user reads them.</summary>
    private static HashSet<string> Options(string verb) => Help.GetOrAdd(verb, ReadHelp);

    private static HashSet<string> ReadHelp(string verb)
    {
        Assert.True(File.Exists(Repository.CliAssemblyPath), $"The CLI is not built at {Repository.CliAssemblyPath}; build the solution.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Repository.CliAssemblyPath);
        foreach (var word in verb.Split(' '))
        {
            start.ArgumentList.Add(word);
        }

        start.ArgumentList.Add("--help");
        using var process = Process.Start(start)!;
        var help = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"aiswitch {verb} --help exited {process.ExitCode}: {error}");
        return [.. OptionLine().Matches(help).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex("(?<=[a-z])([A-Z])")]
    private static partial Regex Kebab();

    [GeneratedRegex(@"^\s{2}(?:-\S+, )*(--[a-z][a-z-]*)", RegexOptions.Multiline)]
    private static partial Regex OptionLine();
}
