
namespace AiSwitch.Core.Tests.Errors;

public sealed class ErrorCatalogTests
{
    public static TheoryData<ErrorId> AllIds() => [.. Enum.GetValues<ErrorId>()];

    [Theory]
    [MemberData(nameof(AllIds))]
    public void Every_id_has_a_seed_003_or_json_rpc_code_and_a_kind(ErrorId id)
    {
        var code = id.Code();

        // -32800 is the request-cancelled code LSP and ACP peers use; -41000 … -41999 are AiSwitch's own codes.
        Assert.True(code is >= -40499 and <= -40001 or >= -41999 and <= -41000 or >= -32700 and <= -32600 or -32800, $"{id} has code {code}");
        Assert.True(Enum.IsDefined(id.Kind()));
    }

    [Theory]
    [InlineData(ErrorId.AgentNotFound, -40001)]
    [InlineData(ErrorId.AgentNotResponding, -40004)]
    [InlineData(ErrorId.TaskTimeout, -40103)]
    [InlineData(ErrorId.TaskCancelled, -40104)]
    [InlineData(ErrorId.TaskDependenciesNotMet, -40105)]
    [InlineData(ErrorId.PresetNotFound, -40201)]
    [InlineData(ErrorId.EnvironmentSwitchFailed, -40202)]
    [InlineData(ErrorId.SnapshotNotFound, -40203)]
    [InlineData(ErrorId.SnapshotChecksumMismatch, -40204)]
    [InlineData(ErrorId.EnvironmentValidationFailed, -40205)]
    [InlineData(ErrorId.LockNotFound, -40302)]
    [InlineData(ErrorId.LockTimeout, -40303)]
    [InlineData(ErrorId.StorageError, -40404)]
    public void Seed_003_codes_are_kept_exactly(ErrorId id, int code) => Assert.Equal(code, id.Code());

    [Fact]
    public void Exit_codes_are_distinct_per_kind_and_never_the_usage_code()
    {
        var codes = Enum.GetValues<ErrorKind>().Select(k => k.ExitCode()).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.DoesNotContain(2, codes);
        Assert.DoesNotContain(0, codes);
    }

    [Fact]
    public void An_exception_reports_its_id_code_and_target()
    {
        var ex = new AiSwitchException(ErrorId.PresetNotFound, "Preset 'gpt5' not found.", "gpt5");

        Assert.Equal((-40201, ErrorKind.NotFound, "gpt5"), (ex.Code, ex.Kind, ex.Target));
        Assert.Equal("PresetNotFound (-40201): Preset 'gpt5' not found.", ex.ToString());
    }
}
