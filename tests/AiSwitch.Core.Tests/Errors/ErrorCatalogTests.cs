
namespace AiSwitch.Core.Tests.Errors;

public sealed class ErrorCatalogTests
{
    /// <summary>Seed 003's error code table ("错误代码定义"), each code with the id that stands for it.</summary>
    public static TheoryData<int, ErrorId> SeedTable() => new()
    {
        { -32700, ErrorId.RpcParseError }, { -32600, ErrorId.RpcInvalidRequest }, { -32601, ErrorId.RpcMethodNotFound },
        { -32602, ErrorId.RpcInvalidParams }, { -32603, ErrorId.InternalError },
        { -40001, ErrorId.AgentNotFound }, { -40002, ErrorId.AgentAlreadyExists }, { -40003, ErrorId.AgentInitializationFailed },
        { -40004, ErrorId.AgentNotResponding }, { -40005, ErrorId.AgentBusy },
        { -40101, ErrorId.TaskNotFound }, { -40102, ErrorId.TaskAlreadyExists }, { -40103, ErrorId.TaskTimeout },
        { -40104, ErrorId.TaskCancelled }, { -40105, ErrorId.TaskDependenciesNotMet },
        { -40201, ErrorId.PresetNotFound }, { -40202, ErrorId.EnvironmentSwitchFailed }, { -40203, ErrorId.SnapshotNotFound },
        { -40204, ErrorId.RollbackFailed }, { -40205, ErrorId.EnvironmentValidationFailed },
        { -40301, ErrorId.LockAcquisitionFailed }, { -40302, ErrorId.LockNotFound }, { -40303, ErrorId.LockTimeout },
        { -40304, ErrorId.CoordinationConflict }, { -40305, ErrorId.ResourceContention },
        { -40401, ErrorId.InsufficientResources }, { -40402, ErrorId.PermissionDenied }, { -40403, ErrorId.ConfigurationError },
        { -40404, ErrorId.StorageError }, { -40405, ErrorId.NetworkError },
    };

    [Theory]
    [MemberData(nameof(SeedTable))]
    public void Each_seed_003_code_belongs_to_the_id_the_seed_names_and_to_no_other(int code, ErrorId id)
    {
        Assert.Equal(code, id.Code());
        Assert.Equal([id], Enum.GetValues<ErrorId>().Where(other => other.Code() == code));
        // A peer's answer with the seed code reads back as that id.
        Assert.Equal(id == ErrorId.InternalError ? ErrorId.RpcRemoteError : id, AiSwitch.Rpc.JsonRpcErrorCodes.ToErrorId(code));
    }

    [Fact]
    public void Every_code_belongs_to_one_id_and_the_ids_the_seed_does_not_name_have_AiSwitch_codes()
    {
        var ids = Enum.GetValues<ErrorId>();
        var seed = SeedTable().Select(row => (ErrorId)row[1]).ToHashSet();

        Assert.Empty(ids.GroupBy(id => id.Code()).Where(g => g.Count() > 1).Select(g => $"{g.Key}: {string.Join(", ", g)}"));
        foreach (var id in ids.Where(id => !seed.Contains(id)))
        {
            // -32800 is the request-cancelled code LSP and ACP peers use.
            Assert.True(id.Code() is >= -41999 and <= -41000 || id == ErrorId.RpcRequestCancelled && id.Code() == -32800,
                $"{id} has code {id.Code()}, outside AiSwitch's own range -41000 … -41999");
            Assert.True(Enum.IsDefined(id.Kind()));
        }
    }

    [Fact]
    public void Docs_errors_lists_every_id_with_its_code()
    {
        var docs = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "errors.md"));

        foreach (var id in Enum.GetValues<ErrorId>())
        {
            Assert.Contains($"| `{id}` | {id.Code()} |", docs);
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AiSwitch.PowerShell.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No AiSwitch.PowerShell.sln above {AppContext.BaseDirectory}.");
    }

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
