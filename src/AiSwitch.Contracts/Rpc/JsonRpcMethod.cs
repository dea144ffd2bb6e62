using System.Text.Json.Serialization.Metadata;

namespace AiSwitch.Rpc;

/// <summary>
/// A method's name with the serialization contracts of its params and result, so a call or a handler names
/// the method once: <c>connection.InvokeAsync(AgentProtocol.TaskAssign, p, ct)</c>.
/// </summary>
public sealed class JsonRpcMethod<TParams, TResult>
{
    public JsonRpcMethod(string name, JsonTypeInfo<TParams> paramsTypeInfo, JsonTypeInfo<TResult> resultTypeInfo)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(paramsTypeInfo);
        ArgumentNullException.ThrowIfNull(resultTypeInfo);
        Name = name;
        ParamsTypeInfo = paramsTypeInfo;
        ResultTypeInfo = resultTypeInfo;
    }

    public string Name { get; }

    public JsonTypeInfo<TParams> ParamsTypeInfo { get; }

    public JsonTypeInfo<TResult> ResultTypeInfo { get; }

    public override string ToString() => Name;
}
