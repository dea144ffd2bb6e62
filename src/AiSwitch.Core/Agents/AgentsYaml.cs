using AiSwitch.Core.Home;
using System.Globalization;
using System.Text;
using AiSwitch.Core.Presets;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace AiSwitch.Core.Agents;

/// <summary>
/// config/agents.yaml: <c>environment_allowlist</c> (optional) and <c>agents</c>, a list of definitions. Read strictly
/// (an unknown field is an error naming the known ones, so a typo never passes silently) with every problem
/// reported at its file, line and column; written with strings quoted.
/// </summary>
internal static class AgentsYaml
{
    public const int SchemaVersion = 1;

    private const string What = "Agents file";

    private static readonly string[] TopFields = ["schema_version", "environment_allowlist", "agents"];

    private static readonly string[] AgentFields =
    [
        "name", "adapter", "command", "args", "preset", "working_directory", "tags", "max_concurrency",
        "default_timeout", "environment", "restart_policy", "max_restarts", "model", "limits",
    ];

    private static readonly string[] LimitFields = ["memory", "cpu", "cpu_time"];

    public static AgentsConfig Parse(byte[] bytes, string path, IReadOnlyList<string> knownAdapters)
    {
        var root = YamlFile.LoadMapping(bytes, path, ErrorId.AgentDefinitionInvalid, What);
        IReadOnlyList<string>? allowlist = null;
        var agents = new List<AgentDefinition>();
        foreach (var (keyNode, value) in root.Children)
        {
            switch (Key(path, keyNode, TopFields))
            {
                case "schema_version":
                    CheckSchemaVersion(path, value);
                    break;
                case "environment_allowlist":
                    allowlist = Words(path, value, "environment_allowlist");
                    break;
                case "agents":
                    agents.AddRange(Agents(path, value, knownAdapters));
                    break;
            }
        }

        return new AgentsConfig { Agents = agents, EnvironmentAllowlist = allowlist };
    }

    public static byte[] Serialize(AgentsConfig config)
    {
        var root = new YamlMappingNode { { "schema_version", new YamlScalarNode(SchemaVersion.ToString(CultureInfo.InvariantCulture)) } };
        if (config.EnvironmentAllowlist is { } allowlist)
        {
            root.Add("environment_allowlist", Sequence(allowlist));
        }

        root.Add("agents", new YamlSequenceNode(config.Agents.Select(Serialize)) { Style = SequenceStyle.Block });
        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        writer.WriteLine("# AiSwitch agents (Register-AiAgent / aiswitch agents register write this file; comments are not kept).");
        writer.WriteLine("# environment values may be literals or references: env:NAME, file:PATH.");
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();
        text = text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
        return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(text);
    }

    private static YamlMappingNode Serialize(AgentDefinition agent)
    {
        var node = new YamlMappingNode { { "name", Quoted(agent.Name) }, { "adapter", Quoted(agent.Adapter) } };
        AddIf(node, "command", agent.Command);
        if (agent.Arguments.Count > 0)
        {
            node.Add("args", Sequence(agent.Arguments));
        }

        AddIf(node, "preset", agent.Preset);
        AddIf(node, "working_directory", agent.WorkingDirectory);
        if (agent.Tags.Count > 0)
        {
            node.Add("tags", Sequence(agent.Tags));
        }

        node.Add("max_concurrency", Plain(agent.MaxConcurrency));
        if (agent.DefaultTimeout is { } timeout)
        {
            node.Add("default_timeout", new YamlScalarNode(AgentRules.FormatDuration(timeout)));
        }

        if (agent.Environment.Count > 0)
        {
            var environment = new YamlMappingNode();
            foreach (var (name, value) in agent.Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                environment.Add(new YamlScalarNode(name), Quoted(value));
            }

            node.Add("environment", environment);
        }

        node.Add("restart_policy", Quoted(AgentRules.FormatRestartPolicy(agent.RestartPolicy)));
        node.Add("max_restarts", Plain(agent.MaxRestarts));
        AddIf(node, "model", agent.Model);
        if (agent.Limits is { IsEmpty: false } limits)
        {
            var limitsNode = new YamlMappingNode();
            if (limits.MemoryBytes is { } memory)
            {
                limitsNode.Add("memory", Quoted(AgentLimits.FormatMemory(memory)));
            }

            if (limits.CpuPercent is { } cpu)
            {
                limitsNode.Add("cpu", Quoted(cpu.ToString("0.##", CultureInfo.InvariantCulture) + "%"));
            }

            if (limits.CpuTime is { } cpuTime)
            {
                limitsNode.Add("cpu_time", Quoted(AgentRules.FormatDuration(cpuTime)));
            }

            node.Add("limits", limitsNode);
        }

        return node;
    }

    private static IEnumerable<AgentDefinition> Agents(string path, YamlNode node, IReadOnlyList<string> knownAdapters)
    {
        if (YamlFile.IsNull(node))
        {
            yield break;
        }

        if (node is not YamlSequenceNode sequence)
        {
            throw Invalid(path, node.Start, "'agents' must be a list of definitions, each starting with '- name: …'");
        }

        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var item in sequence.Children)
        {
            var agent = Agent(path, item, knownAdapters);
            if (!seen.Add(agent.Name))
            {
                throw Invalid(path, item.Start, $"agent '{agent.Name}' is defined twice; keep one definition");
            }

            yield return agent;
        }
    }

    private static AgentDefinition Agent(string path, YamlNode node, IReadOnlyList<string> knownAdapters)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw Invalid(path, node.Start, "each agent must be a mapping of 'key: value' lines (name, adapter, command…)");
        }

        string? name = null, adapter = null, command = null, preset = null, workingDirectory = null, model = null;
        IReadOnlyList<string> arguments = [], tags = [];
        IReadOnlyDictionary<string, string> environment = new Dictionary<string, string>();
        int maxConcurrency = 1, maxRestarts = 3;
        TimeSpan? timeout = null;
        AgentLimits? limits = null;
        var restartPolicy = RestartPolicy.OnFailure;
        foreach (var (keyNode, value) in mapping.Children)
        {
            switch (Key(path, keyNode, AgentFields))
            {
                case "name":
                    name = Checked(path, value, Text(path, value, "name"), AgentRules.NameProblem);
                    break;
                case "adapter":
                    adapter = Checked(path, value, Text(path, value, "adapter"), a => AgentRules.AdapterProblem(a, knownAdapters));
                    break;
                case "command":
                    command = Text(path, value, "command");
                    break;
                case "args":
                    arguments = Words(path, value, "args", splitCommas: false);
                    break;
                case "preset":
                    preset = Checked(path, value, Text(path, value, "preset"), AgentRules.PresetProblem);
                    break;
                case "working_directory":
                    workingDirectory = Text(path, value, "working_directory");
                    break;
                case "tags":
                    tags = Words(path, value, "tags");
                    break;
                case "max_concurrency":
                    maxConcurrency = Number(path, value, "max_concurrency", AgentRules.MaxConcurrencyProblem);
                    break;
                case "default_timeout":
                    timeout = Duration(path, value);
                    break;
                case "environment":
                    environment = Environment(path, value, name ?? "(unnamed)");
                    break;
                case "restart_policy":
                    var policyText = Text(path, value, "restart_policy") ?? string.Empty;
                    restartPolicy = AgentRules.ParseRestartPolicy(policyText)
                        ?? throw Invalid(path, value.Start, $"restart_policy is '{policyText}'; use 'on-failure' or 'never'");
                    break;
                case "max_restarts":
                    maxRestarts = Number(path, value, "max_restarts", AgentRules.MaxRestartsProblem);
                    break;
                case "model":
                    model = Text(path, value, "model");
                    break;
                case "limits":
                    limits = Limits(path, value);
                    break;
            }
        }

        return new AgentDefinition
        {
            Name = name ?? throw Invalid(path, node.Start, "this agent has no 'name'"),
            Adapter = adapter ?? throw Invalid(path, node.Start,
                $"agent '{name}' has no 'adapter'. Known adapters: {string.Join(", ", knownAdapters)}"),
            Command = command,
            Arguments = arguments,
            Preset = preset,
            WorkingDirectory = workingDirectory,
            Tags = tags,
            MaxConcurrency = maxConcurrency,
            DefaultTimeout = timeout,
            Environment = environment,
            RestartPolicy = restartPolicy,
            MaxRestarts = maxRestarts,
            Model = model,
            Limits = limits,
            Source = path,
        };
    }

    private static string Key(string path, YamlNode keyNode, string[] known)
    {
        var key = YamlFile.Text(keyNode);
        if (key is null || !known.Contains(key, StringComparer.Ordinal))
        {
            throw Invalid(path, keyNode.Start, $"'{key ?? "(not text)"}' is not a known field. Known fields: {string.Join(", ", known)}");
        }

        return key;
    }

    private static string? Text(string path, YamlNode node, string field)
        => YamlFile.IsNull(node) ? null
            : YamlFile.Text(node) ?? throw Invalid(path, node.Start, $"'{field}' must be text, not a list or a mapping");

    private static string? Checked(string path, YamlNode node, string? value, Func<string, string?> rule)
        => value is not null && rule(value) is { } problem ? throw Invalid(path, node.Start, problem) : value;

    private static int Number(string path, YamlNode node, string field, Func<int, string?> rule)
    {
        var text = Text(path, node, field);
        if (!int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Invalid(path, node.Start, $"'{field}' is '{text}', not a whole number");
        }

        return rule(value) is { } problem ? throw Invalid(path, node.Start, problem) : value;
    }

    private static TimeSpan? Duration(string path, YamlNode node)
    {
        var text = Text(path, node, "default_timeout");
        if (text is null)
        {
            return null;
        }

        var value = AgentRules.ParseDuration(text)
            ?? throw Invalid(path, node.Start, $"default_timeout is '{text}'; write seconds (300), a unit (90s, 5m, 2h) or hh:mm:ss");
        return AgentRules.TimeoutProblem(value) is { } problem ? throw Invalid(path, node.Start, problem) : value;
    }

    private static AgentLimits? Limits(string path, YamlNode node)
    {
        if (YamlFile.IsNull(node))
        {
            return null;
        }

        if (node is not YamlMappingNode mapping)
        {
            throw Invalid(path, node.Start, "'limits' must be a mapping, for example { memory: 512MB, cpu: 50%, cpu_time: 10m }");
        }

        long? memory = null;
        double? cpu = null;
        TimeSpan? cpuTime = null;
        foreach (var (keyNode, value) in mapping.Children)
        {
            var key = Key(path, keyNode, LimitFields);
            var text = Text(path, value, "limits." + key) ?? string.Empty;
            switch (key)
            {
                case "memory":
                    memory = AgentRules.ParseMemory(text)
                        ?? throw Invalid(path, value.Start, $"limits.memory is '{text}'; write a size with a unit of at least 1MB, e.g. 512MB or 2GB");
                    break;
                case "cpu":
                    cpu = AgentRules.ParseCpuPercent(text)
                        ?? throw Invalid(path, value.Start, $"limits.cpu is '{text}'; write a percentage of one core above 0, e.g. 50% (200% is two cores)");
                    break;
                case "cpu_time":
                    cpuTime = AgentRules.ParseDuration(text) is { TotalSeconds: >= 1 } time ? time
                        : throw Invalid(path, value.Start, $"limits.cpu_time is '{text}'; write at least one second: seconds (300), a unit (90s, 5m, 2h) or hh:mm:ss");
                    break;
            }
        }

        var limits = new AgentLimits { MemoryBytes = memory, CpuPercent = cpu, CpuTime = cpuTime };
        return limits.IsEmpty ? null : limits;
    }

    private static IReadOnlyList<string> Words(string path, YamlNode node, string field, bool splitCommas = true)
    {
        var items = node switch
        {
            _ when YamlFile.IsNull(node) => [],
            YamlSequenceNode sequence => sequence.Children.Select(child => YamlFile.Text(child)
                ?? throw Invalid(path, child.Start, $"each item of '{field}' must be text")),
            YamlScalarNode scalar when splitCommas => (scalar.Value ?? string.Empty).Split(',').Select(t => t.Trim()).Where(t => t.Length > 0),
            _ => throw Invalid(path, node.Start, $"'{field}' must be a list, for example [\"--verbose\", \"--stdio\"]"),
        };
        return [.. items];
    }

    private static Dictionary<string, string> Environment(string path, YamlNode node, string agent)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (YamlFile.IsNull(node))
        {
            return variables;
        }

        if (node is not YamlMappingNode mapping)
        {
            throw Invalid(path, node.Start, "'environment' must be a mapping of NAME: value lines");
        }

        foreach (var (keyNode, valueNode) in mapping.Children)
        {
            var name = YamlFile.Text(keyNode) ?? string.Empty;
            var value = YamlFile.IsNull(valueNode) ? null : YamlFile.Text(valueNode);
            if (value is null)
            {
                throw Invalid(path, valueNode.Start, $"{Redaction.ForMessage(name)} needs a text value; write \"\" for an empty one");
            }

            if (AgentRules.VariableProblem(agent, name, value) is { } problem)
            {
                throw Invalid(path, keyNode.Start, problem);
            }

            variables[name] = value;
        }

        return variables;
    }

    private static void CheckSchemaVersion(string path, YamlNode node)
    {
        var version = Number(path, node, "schema_version", _ => null);
        if (version > SchemaVersion)
        {
            throw Invalid(path, node.Start, $"it has schema version {version}, but this AiSwitch reads up to {SchemaVersion}; update AiSwitch (the file was left as it is)");
        }
    }

    private static void AddIf(YamlMappingNode node, string key, string? value)
    {
        if (value is not null)
        {
            node.Add(key, Quoted(value));
        }
    }

    private static YamlSequenceNode Sequence(IEnumerable<string> items)
        => new(items.Select(i => (YamlNode)Quoted(i))) { Style = SequenceStyle.Flow };

    private static YamlScalarNode Quoted(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    private static YamlScalarNode Plain(int value) => new(value.ToString(CultureInfo.InvariantCulture));

    private static AiSwitchException Invalid(string path, Mark at, string problem)
        => YamlFile.Invalid(ErrorId.AgentDefinitionInvalid, What, path, at, problem);
}
