using AiSwitch.PowerShell.Tests.Infrastructure;

namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>The module manifest's contract: what it exports, which PowerShell it asks for, the files it names, its version.</summary>
internal static class ManifestRules
{
    public static IEnumerable<string> ExportsEqualCmdlets(IReadOnlyDictionary<string, object?> manifest, IEnumerable<string> cmdletsFound)
    {
        var exported = DataFile.Strings(manifest, "CmdletsToExport");
        var found = cmdletsFound.ToList();
        foreach (var duplicate in exported.GroupBy(n => n, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            yield return $"CmdletsToExport lists '{duplicate.Key}' {duplicate.Count()} times.";
        }

        foreach (var missing in exported.Except(found, StringComparer.OrdinalIgnoreCase))
        {
            yield return $"CmdletsToExport lists '{missing}', but the cmdlet assembly has no such cmdlet.";
        }

        foreach (var unlisted in found.Except(exported, StringComparer.OrdinalIgnoreCase))
        {
            yield return $"The cmdlet assembly has '{unlisted}', but CmdletsToExport does not list it.";
        }
    }

    public static IEnumerable<string> TargetsPowerShell74Core(IReadOnlyDictionary<string, object?> manifest)
    {
        var editions = DataFile.Strings(manifest, "CompatiblePSEditions");
        if (editions.Count != 1 || editions[0] != "Core")
        {
            yield return $"CompatiblePSEditions is @({string.Join(", ", editions.Select(e => $"'{e}'"))}); it must be @('Core').";
        }

        var version = manifest.TryGetValue("PowerShellVersion", out var v) ? v as string : null;
        if (version != "7.4")
        {
            yield return $"PowerShellVersion is '{version}'; it must be '7.4'.";
        }
    }

    public static IEnumerable<string> NamedFilesExist(IReadOnlyDictionary<string, object?> manifest, string moduleDir)
    {
        foreach (var key in new[] { "FormatsToProcess", "TypesToProcess" })
        {
            var files = DataFile.Strings(manifest, key);
            if (files.Count == 0)
            {
                yield return $"{key} is empty; the module ships module/AiSwitch.{(key == "FormatsToProcess" ? "format" : "types")}.ps1xml.";
            }

            foreach (var file in files.Where(f => !File.Exists(Path.Combine(moduleDir, f))))
            {
                yield return $"{key} names '{file}', which is not in the module folder {moduleDir}.";
            }
        }

        var root = manifest.TryGetValue("RootModule", out var r) ? r as string : null;
        if (root is null || !File.Exists(Path.Combine(moduleDir, root)))
        {
            yield return $"RootModule '{root}' is not in the module folder {moduleDir}.";
        }
    }

    public static IEnumerable<string> VersionMatches(IReadOnlyDictionary<string, object?> manifest, Version assemblyVersion, string versionPrefix)
    {
        var moduleVersion = manifest.TryGetValue("ModuleVersion", out var v) ? v as string : null;
        if (moduleVersion != versionPrefix)
        {
            yield return $"ModuleVersion is '{moduleVersion}', but Directory.Build.props says VersionPrefix {versionPrefix}. Build again: the build stamps it.";
        }

        var prefix = Version.Parse(versionPrefix);
        if (assemblyVersion.Major != prefix.Major || assemblyVersion.Minor != prefix.Minor || assemblyVersion.Build != prefix.Build)
        {
            yield return $"The cmdlet assembly's version is {assemblyVersion}, but Directory.Build.props says VersionPrefix {versionPrefix}.";
        }
    }
}
