using System.Globalization;
using AiSwitch.Core.Home;
using YamlDotNet.RepresentationModel;

namespace AiSwitch.Core.Tasks;

/// <summary>
/// <c>config/coordination.yaml</c> (seed 001): how this home coordinates agents when a request does not say — the default
/// task mode, lock and directory waits, a global and per-agent cap on tasks at once, and the coordinator log's rotation.
/// Read on every use (it is a few lines), so an edit applies to the next command without restarting a session.
/// Every key is documented in docs/coordination.md.
/// </summary>
internal sealed class CoordinationConfig
{
    public const string FileName = "coordination.yaml";

    public const long DefaultLogMaxBytes = 10 * 1024 * 1024;

    public const int DefaultLogKeep = 5;

    private static readonly string[] TopKeys =
        ["default_mode", "lock_timeout_seconds", "directory_lock_timeout_seconds", "throttle_limit", "agents", "log", "circuit"];

    public static CoordinationConfig Default { get; } = new();

    /// <summary>What Invoke-AiTask, Start-AiTask and the run verbs use when no -Parallel, -Sequential, -Chain or -Distribute is given.</summary>
    public TaskMode DefaultMode { get; init; } = TaskMode.Parallel;

    /// <summary>How long a lock waits when the request names no timeout.</summary>
    public TimeSpan LockTimeout { get; init; } = Locking.LockOperations.DefaultTimeout;

    /// <summary>How long strict coordination waits for another agent to leave a working directory.</summary>
    public TimeSpan DirectoryLockTimeout { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>The most tasks at once across all agents of one request when it names none; 0: no limit.</summary>
    public int ThrottleLimit { get; init; }

    /// <summary>Per agent name (any case): the most tasks running on it at once within one request.</summary>
    public IReadOnlyDictionary<string, int> MaxConcurrentTasks { get; init; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

    public long LogMaxBytes { get; init; } = DefaultLogMaxBytes;

    public int LogKeep { get; init; } = DefaultLogKeep;

    /// <summary>Failures in a row that open an agent's circuit (docs/tasks.md, "Health").</summary>
    public int CircuitFailures { get; init; } = AiSwitch.Core.Agents.AgentCircuits.DefaultFailureThreshold;

    /// <summary>How long an open circuit waits before one probe task may try the agent again.</summary>
    public TimeSpan CircuitCoolDown { get; init; } = AiSwitch.Core.Agents.AgentCircuits.DefaultCoolDown;

    /// <summary>The circuits with this file's settings.</summary>
    public AiSwitch.Core.Agents.AgentCircuits Circuits(AiSwitch.Core.Agents.AgentCircuits circuits) => circuits.With(CircuitFailures, CircuitCoolDown);

    public static string PathIn(AiHome home) => Path.Combine(home.ConfigDir, FileName);

    /// <summary>The home's file, or the defaults when there is none. A bad file is ConfigurationError naming file, line and fix.</summary>
    public static CoordinationConfig Load(AiHome home)
    {
        var path = PathIn(home);
        var bytes = AtomicFile.ReadOrNull(path);
        return bytes is null ? Default : Parse(bytes, path);
    }

    public static CoordinationConfig Parse(byte[] bytes, string path)
    {
        var root = YamlFile.LoadMapping(bytes, path, ErrorId.ConfigurationError, "Coordination file");
        var mode = TaskMode.Parallel;
        var lockTimeout = Locking.LockOperations.DefaultTimeout;
        var directoryTimeout = TimeSpan.FromMinutes(30);
        var throttle = 0;
        var limits = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        long logMaxBytes = DefaultLogMaxBytes;
        var logKeep = DefaultLogKeep;
        var (circuitFailures, circuitCoolDown) = (AiSwitch.Core.Agents.AgentCircuits.DefaultFailureThreshold, AiSwitch.Core.Agents.AgentCircuits.DefaultCoolDown);
        foreach (var (keyNode, value) in root.Children)
        {
            switch (Key(path, keyNode, TopKeys))
            {
                case "default_mode":
                    var text = YamlFile.Text(value);
                    mode = text?.ToLowerInvariant() switch
                    {
                        "parallel" => TaskMode.Parallel,
                        "sequential" => TaskMode.Sequential,
                        "chain" => TaskMode.Chain,
                        _ => throw Invalid(path, value, $"default_mode is '{text}'; use parallel, sequential or chain"),
                    };
                    break;
                case "lock_timeout_seconds":
                    lockTimeout = TimeSpan.FromSeconds(Number(path, value, "lock_timeout_seconds", minimum: 0, maximum: 86_400));
                    break;
                case "directory_lock_timeout_seconds":
                    directoryTimeout = TimeSpan.FromSeconds(Number(path, value, "directory_lock_timeout_seconds", minimum: 0, maximum: 86_400));
                    break;
                case "throttle_limit":
                    throttle = (int)Number(path, value, "throttle_limit", minimum: 0, maximum: 10_000, whole: true);
                    break;
                case "agents":
                    foreach (var (name, limit) in Agents(path, value))
                    {
                        limits[name] = limit;
                    }

                    break;
                case "log":
                    (logMaxBytes, logKeep) = Log(path, value);
                    break;
                case "circuit":
                    (circuitFailures, circuitCoolDown) = Circuit(path, value);
                    break;
            }
        }

        return new CoordinationConfig
        {
            DefaultMode = mode,
            LockTimeout = lockTimeout,
            DirectoryLockTimeout = directoryTimeout,
            ThrottleLimit = throttle,
            MaxConcurrentTasks = limits,
            LogMaxBytes = logMaxBytes,
            LogKeep = logKeep,
            CircuitFailures = circuitFailures,
            CircuitCoolDown = circuitCoolDown,
        };
    }

    /// <summary>The most tasks the agent may run at once: its definition's max_concurrency, lowered by this file's limit.</summary>
    public int LimitFor(AgentDefinition agent)
    {
        var own = Math.Max(1, agent.MaxConcurrency);
        return MaxConcurrentTasks.TryGetValue(agent.Name, out var limit) ? Math.Min(own, limit) : own;
    }

    private static IEnumerable<(string Name, int Limit)> Agents(string path, YamlNode node)
    {
        if (YamlFile.IsNull(node))
        {
            yield break;
        }

        if (node is not YamlMappingNode agents)
        {
            throw Invalid(path, node, "'agents' must be a mapping of agent names, each with 'max_concurrent_tasks: N'");
        }

        foreach (var (nameNode, settings) in agents.Children)
        {
            var name = YamlFile.Text(nameNode) ?? throw Invalid(path, nameNode, "each key under 'agents' must be an agent's name");
            if (settings is not YamlMappingNode mapping)
            {
                throw Invalid(path, settings, $"agent '{name}' must be a mapping such as 'max_concurrent_tasks: 2'");
            }

            foreach (var (keyNode, value) in mapping.Children)
            {
                Key(path, keyNode, ["max_concurrent_tasks"]);
                yield return (name, (int)Number(path, value, "max_concurrent_tasks", minimum: 1, maximum: AiSwitch.Core.Agents.AgentRules.MaxConcurrencyLimit, whole: true));
            }
        }
    }

    private static (int Failures, TimeSpan CoolDown) Circuit(string path, YamlNode node)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw Invalid(path, node, "'circuit' must be a mapping with 'failures' and 'cool_down_seconds'");
        }

        var (failures, coolDown) = (AiSwitch.Core.Agents.AgentCircuits.DefaultFailureThreshold, AiSwitch.Core.Agents.AgentCircuits.DefaultCoolDown);
        foreach (var (keyNode, value) in mapping.Children)
        {
            switch (Key(path, keyNode, ["failures", "cool_down_seconds"]))
            {
                case "failures":
                    failures = (int)Number(path, value, "failures", minimum: 1, maximum: 1000, whole: true);
                    break;
                case "cool_down_seconds":
                    coolDown = TimeSpan.FromSeconds(Number(path, value, "cool_down_seconds", minimum: 1, maximum: 86_400));
                    break;
            }
        }

        return (failures, coolDown);
    }

    private static (long MaxBytes, int Keep) Log(string path, YamlNode node)
    {
        if (node is not YamlMappingNode mapping)
        {
            throw Invalid(path, node, "'log' must be a mapping with 'max_bytes' and 'keep'");
        }

        long maxBytes = DefaultLogMaxBytes;
        var keep = DefaultLogKeep;
        foreach (var (keyNode, value) in mapping.Children)
        {
            switch (Key(path, keyNode, ["max_bytes", "keep"]))
            {
                case "max_bytes":
                    maxBytes = (long)Number(path, value, "max_bytes", minimum: 4096, maximum: 1L << 40, whole: true);
                    break;
                case "keep":
                    keep = (int)Number(path, value, "keep", minimum: 1, maximum: 1000, whole: true);
                    break;
            }
        }

        return (maxBytes, keep);
    }

    private static string Key(string path, YamlNode keyNode, IReadOnlyList<string> known)
    {
        var key = YamlFile.Text(keyNode);
        return key is not null && known.Contains(key, StringComparer.Ordinal)
            ? key
            : throw Invalid(path, keyNode, $"unknown key '{key}'; the keys here are {string.Join(", ", known)}");
    }

    private static double Number(string path, YamlNode node, string key, double minimum, double maximum, bool whole = false)
    {
        var text = YamlFile.Text(node);
        return text is not null && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && value >= minimum && value <= maximum && (!whole || value == Math.Floor(value))
            ? value
            : throw Invalid(path, node, $"{key} is '{text}'; give {(whole ? "a whole number" : "a number")} from {minimum} to {maximum}");
    }

    private static AiSwitchException Invalid(string path, YamlNode at, string problem)
        => YamlFile.Invalid(ErrorId.ConfigurationError, "Coordination file", path, at.Start, problem);
}
