using System.Globalization;

namespace AiSwitch.Core.Usage;

/// <summary>Folders of one JSON-lines file per UTC day, <c>YYYY-MM-DD.jsonl</c>: the token ledger and the metrics store.</summary>
internal static class DayFiles
{
    /// <summary>The file that holds records of <paramref name="time"/>'s UTC day.</summary>
    public static string PathFor(string directory, DateTimeOffset time)
        => Path.Combine(directory, time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + ".jsonl");

    /// <summary>The day files in <paramref name="directory"/> (none when it does not exist), in no particular order.</summary>
    public static IEnumerable<(string Path, DateTime Day)> In(string directory)
    {
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var path in Directory.EnumerateFiles(directory, "????-??-??.jsonl"))
        {
            if (DateTime.TryParseExact(Path.GetFileNameWithoutExtension(path), "yyyy-MM-dd", CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day))
            {
                yield return (path, day);
            }
        }
    }
}
