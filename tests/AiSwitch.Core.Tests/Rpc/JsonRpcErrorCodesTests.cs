using AiSwitch.Rpc;
using Xunit;

namespace AiSwitch.Core.Tests.Rpc;

public sealed class JsonRpcErrorCodesTests
{
    public static TheoryData<int> SeedCodes()
    {
        var data = new TheoryData<int>();
        foreach (var block in new[] { -40000, -40100, -40200, -40300, -40400 })
        {
            for (var i = 1; i <= 5; i++)
            {
                data.Add(block - i);
            }
        }

        foreach (var code in new[] { -32700, -32600, -32601, -32602, -32800 })
        {
            data.Add(code);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SeedCodes))]
    public void Every_code_of_seed_003_maps_to_an_id_with_that_code(int code)
    {
        var id = JsonRpcErrorCodes.ToErrorId(code);

        Assert.NotEqual(ErrorId.RpcRemoteError, id);
        Assert.Equal(code, id.Code());
    }

    [Fact]
    public void Every_error_id_survives_the_wire_by_name()
    {
        foreach (var id in Enum.GetValues<ErrorId>())
        {
            Assert.Equal(id, JsonRpcErrorCodes.ToErrorId(id.Code(), id.ToString()));
        }
    }

    [Theory]
    [InlineData(-40203, "TaskNotFound", ErrorId.SnapshotNotFound)]
    [InlineData(-40203, "NoSuchId", ErrorId.SnapshotNotFound)]
    [InlineData(-32000, null, ErrorId.RpcRemoteError)]
    [InlineData(-32603, null, ErrorId.RpcRemoteError)]
    public void A_name_that_disagrees_with_the_code_or_an_unknown_code_falls_back(int code, string? name, ErrorId expected)
    {
        Assert.Equal(expected, JsonRpcErrorCodes.ToErrorId(code, name));
    }
}
