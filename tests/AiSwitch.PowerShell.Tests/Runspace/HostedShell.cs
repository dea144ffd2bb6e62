using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using AiSwitch.PowerShell.Tests.Infrastructure;
using PS = System.Management.Automation.PowerShell;

namespace AiSwitch.PowerShell.Tests.Runspace;

/// <summary>
/// A real PowerShell runspace in this process (Microsoft.PowerShell.SDK) with the BUILT module imported
/// (artifacts/module/AiSwitch/AiSwitch.psd1) and a home folder of its own, so a test reads like a user's pipeline:
/// <c>shell.Run("Get-AiPreset | Remove-AiPreset -WhatIf")</c> gives the output, the error records and <c>$?</c>.
/// </summary>
/// <remarks>
/// The module's session reads AISWITCH_HOME on the runspace's first AiSwitch command, and environment variables belong
/// to the process, so every test class that uses this is in the <see cref="RunspaceCollection"/> (one at a time), and
/// Dispose puts the whole process environment back as it found it (Use-AiPreset and Switch-AiEnvironment change it).
/// </remarks>
internal sealed class HostedShell : IDisposable
{
    private const string SucceededVariable = "__aiswitchTestSucceeded";

    private readonly System.Management.Automation.Runspaces.Runspace _runspace;
    private readonly IDictionary _environmentBefore;

    public HostedShell()
    {
        _environmentBefore = Environment.GetEnvironmentVariables();
        Root = Directory.CreateTempSubdirectory("aiswitch-runspace-").FullName;
        Home = Path.Combine(Root, "home");
        WorkingDirectory = Path.Combine(Root, "work");
        Directory.CreateDirectory(Home);
        Directory.CreateDirectory(WorkingDirectory);
        Environment.SetEnvironmentVariable("AISWITCH_HOME", Home);

        _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
        _runspace.Open();
        var import = Run("Set-Location -LiteralPath $args[0]; Import-Module -Name $args[1] -ErrorAction Stop", WorkingDirectory, Repository.ModuleManifestPath);
        if (!import.Succeeded)
        {
            Dispose();
            throw new InvalidOperationException($"Import-Module {Repository.ModuleManifestPath} failed in a hosted runspace: {import.Describe()}. Build the module first (dotnet build).");
        }
    }

    /// <summary>A temporary folder holding <see cref="Home"/> and <see cref="WorkingDirectory"/>; deleted on Dispose.</summary>
    public string Root { get; }

    /// <summary>This shell's AISWITCH_HOME.</summary>
    public string Home { get; }

    /// <summary>The runspace's current location (relative paths in scripts land here).</summary>
    public string WorkingDirectory { get; }

    /// <summary>
    /// Runs a script as a user would type it. Arguments are <c>$args[0]</c>, <c>$args[1]</c>…; variables set at the
    /// top level stay for the next Run, as at a prompt.
    /// </summary>
    public ScriptResult Run(string script, params object?[] arguments)
    {
        using var shell = PS.Create(_runspace);
        // Dot-sourced, so the script runs in the global scope as at a prompt; the line after it reads $? as a prompt would.
        shell.AddScript($"{script}\n${{global:{SucceededVariable}}} = $?", useLocalScope: false);
        foreach (var argument in arguments)
        {
            shell.AddArgument(argument);
        }

        // Output written before a terminating error is kept, as a user sees it on screen.
        using var output = new PSDataCollection<PSObject>();
        ErrorRecord? terminating = null;
        try
        {
            shell.Invoke<PSObject, PSObject>(input: null, output, settings: null);
        }
        catch (RuntimeException ex)
        {
            terminating = ex.ErrorRecord;
        }

        var succeeded = terminating is null && _runspace.SessionStateProxy.GetVariable(SucceededVariable) is true;
        return new ScriptResult(output.ToList(), shell.Streams.Error.ToList(), terminating, succeeded);
    }

    /// <summary>A file under <see cref="Home"/> (config/presets/gpt4.yaml…).</summary>
    public string HomeFile(string relativePath) => Path.Combine(Home, relativePath);

    public void Dispose()
    {
        _runspace.Dispose();
        RestoreEnvironment();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A background task of the closed session may still be writing its last state; the temp folder is the OS's to clean.
        }
    }

    private void RestoreEnvironment()
    {
        var now = Environment.GetEnvironmentVariables();
        foreach (var name in now.Keys.Cast<string>().Where(n => !_environmentBefore.Contains(n)))
        {
            Environment.SetEnvironmentVariable(name, null);
        }

        foreach (DictionaryEntry entry in _environmentBefore)
        {
            if (!Equals(now[entry.Key], entry.Value))
            {
                Environment.SetEnvironmentVariable((string)entry.Key, (string?)entry.Value);
            }
        }
    }
}

/// <summary>What a script left: its output, its non-terminating errors, the terminating one if any, and <c>$?</c>.</summary>
internal sealed record ScriptResult(
    IReadOnlyList<PSObject> Output,
    IReadOnlyList<ErrorRecord> Errors,
    ErrorRecord? Terminating,
    bool Succeeded)
{
    /// <summary>Every error record, non-terminating first, then the terminating one.</summary>
    public IReadOnlyList<ErrorRecord> AllErrors => Terminating is null ? Errors : [.. Errors, Terminating];

    /// <summary>The output's base objects' text, or one property of each.</summary>
    public IReadOnlyList<string?> Strings(string? property = null)
        => Output.Select(o => (property is null ? o.BaseObject : o.Properties[property]?.Value)?.ToString()).ToList();

    /// <summary>Fails the test with every error unless the script succeeded without one.</summary>
    public ScriptResult Ok()
    {
        Assert.True(Succeeded && AllErrors.Count == 0, "The script failed: " + Describe());
        return this;
    }

    public string Describe()
        => $"$? = {Succeeded}; {AllErrors.Count} error(s){string.Concat(AllErrors.Select(e => $"{Environment.NewLine}  [{e.FullyQualifiedErrorId}] {e.Exception.Message}"))}";
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunspaceCollection
{
    /// <summary>Tests that host a runspace: one at a time, since AISWITCH_HOME and the presets' variables are the process's.</summary>
    public const string Name = "Hosted runspace";
}
