using AiSwitch.Core.Agents.Adapters;
using AiSwitch.Core.Home;
using AiSwitch.Core.Presets;

namespace AiSwitch.Core.Agents;

/// <summary>
/// Agent definitions: the built-ins, overridden by config/agents.yaml. Changes rewrite the file atomically under a
/// file mutex, so two sessions registering at once never lose each other's agents.
/// </summary>
internal sealed class AgentDefinitionStore
{
    public const string FileName = "agents.yaml";

    private readonly AdapterCatalog _adapters;
    private Parsed? _last; // the file's bytes when last parsed, and what they gave

    public AgentDefinitionStore(AiHome home, AdapterCatalog? adapters = null)
    {
        Path = System.IO.Path.Combine(home.ConfigDir, FileName);
        _adapters = adapters ?? AdapterCatalog.Default;
    }

    public string Path { get; }

    /// <summary>The file as written (no built-ins); an empty config when there is no file.</summary>
    public AgentsConfig Load() => Read().Config;

    /// <summary>Every definition, sorted by name: the built-ins, each replaced by a user definition of the same name.</summary>
    public IReadOnlyList<AgentDefinition> List() => Read().Merged;

    /// <summary>
    /// The file, read on every call (another process may have changed it) but parsed only when its bytes changed: a run
    /// over many agents looks definitions up per task, and parsing a file of N agents N times was most of its CPU.
    /// </summary>
    private Parsed Read()
    {
        var bytes = AtomicFile.ReadOrNull(Path);
        var last = Volatile.Read(ref _last);
        if (last is not null && (last.Bytes is null ? bytes is null : bytes is not null && last.Bytes.AsSpan().SequenceEqual(bytes)))
        {
            return last;
        }

        var config = bytes is null ? AgentsConfig.Empty : AgentsYaml.Parse(bytes, Path, _adapters.KnownNames);
        var parsed = new Parsed(bytes, config, Merge(config));
        Volatile.Write(ref _last, parsed);
        return parsed;
    }

    public static IReadOnlyList<AgentDefinition> Merge(AgentsConfig config)
    {
        var byName = new Dictionary<string, AgentDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var agent in BuiltInAgents.All.Concat(config.Agents))
        {
            byName[agent.Name] = agent;
        }

        return [.. byName.Values.OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase)];
    }

    /// <summary>One definition by name (case-insensitive); AgentNotFound naming close or known names and how to register.</summary>
    public AgentDefinition Get(string name)
    {
        var all = List();
        return all.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) ?? throw NotFound(name, all);
    }

    public static AiSwitchException NotFound(string name, IReadOnlyList<AgentDefinition> known)
    {
        var names = known.Select(a => a.Name).ToList();
        var closest = PresetNames.Closest(name, names);
        var hint = closest.Count > 0
            ? $" Did you mean {string.Join(", ", closest.Select(n => $"'{n}'"))}?"
            : $" Known agents: {string.Join(", ", names.Take(10))}{(names.Count > 10 ? ", …" : string.Empty)}.";
        return new AiSwitchException(ErrorId.AgentNotFound,
            $"Agent '{name}' not found.{hint} Register it with Register-AiAgent -Name {name} -Adapter <adapter> (aiswitch agents register {name} --adapter <adapter>).",
            name);
    }

    /// <summary>Adds (or with Force replaces) a user definition. A built-in name is always accepted: it overrides the built-in.</summary>
    public AgentDefinition Register(RegisterAgentRequest request)
    {
        var definition = Validate(request);
        using (FileMutex.Acquire(Path + ".lock"))
        {
            var config = Load();
            var existing = config.Agents.FirstOrDefault(a => a.Name.Equals(request.Name, StringComparison.OrdinalIgnoreCase));
            if (existing is not null && !request.Force)
            {
                throw new AiSwitchException(ErrorId.AgentAlreadyExists,
                    $"Agent '{existing.Name}' is already registered in '{Path}'. Add -Force (--force) to replace it, or pick another name.",
                    request.Name);
            }

            var agents = config.Agents.Where(a => a != existing).Append(definition).OrderBy(a => a.Name, StringComparer.OrdinalIgnoreCase);
            Save(new AgentsConfig { Agents = [.. agents], EnvironmentAllowlist = config.EnvironmentAllowlist });
        }

        return definition;
    }

    /// <summary>Removes a user definition; a built-in then takes its place again. A built-in alone cannot be removed.</summary>
    public void Unregister(string name)
    {
        using (FileMutex.Acquire(Path + ".lock"))
        {
            var config = Load();
            var existing = config.Agents.FirstOrDefault(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (existing is null)
            {
                if (BuiltInAgents.All.Any(a => a.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new AiSwitchException(ErrorId.InvalidArgument,
                        $"Agent '{name}' is built in and cannot be unregistered. To change it, register an agent of the same name (Register-AiAgent -Name {name} … -Force).",
                        name);
                }

                throw NotFound(name, Merge(config));
            }

            Save(new AgentsConfig { Agents = [.. config.Agents.Where(a => a != existing)], EnvironmentAllowlist = config.EnvironmentAllowlist });
        }
    }

    private void Save(AgentsConfig config) => AtomicFile.Write(Path, AgentsYaml.Serialize(config));

    private AgentDefinition Validate(RegisterAgentRequest request)
    {
        if (AgentRules.NameProblem(request.Name) is { } nameProblem)
        {
            throw new AiSwitchException(ErrorId.InvalidAgentName, Sentence(nameProblem) + ", for example 'reviewer' or 'claude-fast'.", request.Name);
        }

        var problems = new[]
        {
            AgentRules.AdapterProblem(request.Adapter, _adapters.KnownNames),
            AgentRules.PresetProblem(request.Preset),
            AgentRules.MaxConcurrencyProblem(request.MaxConcurrency),
            AgentRules.MaxRestartsProblem(request.MaxRestarts),
            request.DefaultTimeout is { } timeout ? AgentRules.TimeoutProblem(timeout) : null,
            request.Command is { Length: 0 } ? "the command is empty; leave it out to use the adapter's default" : null,
        }.Concat(request.Environment.Select(v => AgentRules.VariableProblem(request.Name, v.Key, v.Value)));
        if (problems.FirstOrDefault(p => p is not null) is { } problem)
        {
            throw new AiSwitchException(ErrorId.InvalidArgument, $"Cannot register agent '{request.Name}': {problem}.", request.Name);
        }

        return new AgentDefinition
        {
            Name = request.Name,
            Adapter = request.Adapter,
            Command = request.Command,
            Arguments = [.. request.Arguments],
            Preset = request.Preset,
            WorkingDirectory = request.WorkingDirectory,
            Tags = [.. request.Tags.Distinct(StringComparer.Ordinal)],
            MaxConcurrency = request.MaxConcurrency,
            DefaultTimeout = request.DefaultTimeout,
            Environment = new Dictionary<string, string>(request.Environment, StringComparer.Ordinal),
            RestartPolicy = request.RestartPolicy,
            MaxRestarts = request.MaxRestarts,
            Model = request.Model,
            Source = Path,
        };
    }

    private static string Sentence(string text) => char.ToUpperInvariant(text[0]) + text[1..];

    private sealed record Parsed(byte[]? Bytes, AgentsConfig Config, IReadOnlyList<AgentDefinition> Merged);
}
