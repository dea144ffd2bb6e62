using System.Reflection;
using AiSwitch.PowerShell.Tests.Infrastructure;
using Xunit;

namespace AiSwitch.PowerShell.Tests.Contracts;

/// <summary>Core names PowerShell's ErrorCategory members as strings (it cannot reference PowerShell); each name must exist.</summary>
public sealed class ErrorCategoryTests
{
    [Fact]
    public void EveryErrorKindNamesARealErrorCategory()
    {
        var categories = ErrorCategories();
        var names = CoreRuntime.ErrorKinds.ToDictionary(
            kind => kind.ToString()!,
            kind => CoreRuntime.Call<string>("AiSwitch.Core.Errors.ErrorKindPowerShell", "PowerShellCategory", kind));
        Assert.True(names.Count >= 10, $"Only {names.Count} error kinds found.");
        Assert.Empty(UnknownCategories(names, categories));
    }

    [Fact]
    public void AMisspelledCategoryIsReported()
        => Assert.Equal(["NotFound -> ObjectNotFund"], UnknownCategories(new Dictionary<string, string> { ["NotFound"] = "ObjectNotFund", ["Timeout"] = "OperationTimeout" }, ErrorCategories()));

    private static HashSet<string> ErrorCategories()
        => InspectedAssembly.Module.Inspection.AutomationType("System.Management.Automation.ErrorCategory")
            .GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);

    private static List<string> UnknownCategories(IReadOnlyDictionary<string, string> byKind, IReadOnlySet<string> categories)
        => byKind.Where(pair => !categories.Contains(pair.Value)).Select(pair => $"{pair.Key} -> {pair.Value}").ToList();
}
