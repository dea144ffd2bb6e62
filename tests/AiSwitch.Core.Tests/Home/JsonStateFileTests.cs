using System.Text.Json.Serialization;
using AiSwitch.Core.Home;
using AiSwitch.Core.Tests.Support;

namespace AiSwitch.Core.Tests.Home;

public sealed record CounterState(int Count, List<string> Names);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(CounterState))]
internal sealed partial class TestStateContext : JsonSerializerContext;

public sealed class JsonStateFileTests : IDisposable
{
    private readonly TempHome _temp = new();
    private readonly JsonStateFile<CounterState> _file;

    public JsonStateFileTests()
    {
        _temp.Home.EnsureCreated();
        _file = new JsonStateFile<CounterState>(Path.Combine(_temp.Home.StateDir, "counter.json"), TestStateContext.Default.CounterState);
    }

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_missing_file_reads_as_null_and_a_written_one_carries_its_schema_version()
    {
        Assert.Null(_file.Read());

        _file.Write(new CounterState(3, ["a"]));

        Assert.Equal(3, _file.Read()!.Count);
        Assert.Contains("\"schema_version\": 1", File.ReadAllText(_file.Path));
        Assert.Contains("\"count\": 3", File.ReadAllText(_file.Path));
    }

    [Fact]
    public void Every_write_keeps_the_previous_good_content_as_bak()
    {
        _file.Write(new CounterState(1, []));
        _file.Write(new CounterState(2, []));

        var backup = new JsonStateFile<CounterState>(_file.BackupPath, TestStateContext.Default.CounterState);
        Assert.Equal(1, backup.Read()!.Count);
    }

    [Theory]
    [InlineData("{\"schema_version\": 1, \"data\": {\"count\": 4, \"na", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    [InlineData("[1,2]", "no \"schema_version\"")]
    [InlineData("{\"schema_version\": 1}", "no \"data\"")]
    public void A_corrupt_or_truncated_file_is_an_error_naming_the_file_and_is_never_overwritten(string content, string what)
    {
        _file.Write(new CounterState(1, []));
        _file.Write(new CounterState(2, []));
        File.WriteAllText(_file.Path, content);

        var read = Assert.Throws<AiSwitchException>(() => _file.Read());
        var update = Assert.Throws<AiSwitchException>(() => _file.Update(s => s! with { Count = 99 }));

        Assert.Equal(ErrorId.StateFileCorrupt, read.Id);
        Assert.Contains(_file.Path, read.Message);
        Assert.Contains(what, read.Message);
        Assert.Contains(_file.BackupPath, read.Message);
        Assert.Equal(ErrorId.StateFileCorrupt, update.Id);
        Assert.Equal(content, File.ReadAllText(_file.Path));
        Assert.Equal(1, new JsonStateFile<CounterState>(_file.BackupPath, TestStateContext.Default.CounterState).Read()!.Count);
    }

    [Fact]
    public void A_file_from_a_newer_schema_is_refused_and_left_as_it_is()
    {
        File.WriteAllText(_file.Path, "{\"schema_version\": 7, \"data\": {\"count\": 1, \"names\": []}}");

        var ex = Assert.Throws<AiSwitchException>(() => _file.Update(s => s!));

        Assert.Equal(ErrorId.StateFileTooNew, ex.Id);
        Assert.Contains("Update AiSwitch", ex.Message);
        Assert.Contains("\"schema_version\": 7", File.ReadAllText(_file.Path));
    }

    [Fact]
    public async Task Concurrent_updates_from_many_threads_lose_nothing()
    {
        var workers = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
        {
            for (var i = 0; i < 25; i++)
            {
                _file.Update(s => new CounterState((s?.Count ?? 0) + 1, [.. s?.Names ?? [], $"{worker}-{i}"]));
            }
        }));

        await Task.WhenAll(workers);

        var final = _file.Read()!;
        Assert.Equal(200, final.Count);
        Assert.Equal(200, final.Names.Distinct().Count());
    }
}
