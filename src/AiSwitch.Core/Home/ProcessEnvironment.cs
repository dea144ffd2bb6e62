namespace AiSwitch.Core.Home;

/// <summary>
/// The environment block a switch applies to: this process's (the session), or an in-memory one
/// (an agent's prepared environment, or a test). Keeps Core testable without touching the test process.
/// </summary>
internal interface IProcessEnvironment
{
    string? Get(string name);

    /// <summary>Sets a variable; null removes it.</summary>
    void Set(string name, string? value);

    /// <summary>A copy of every variable.</summary>
    IReadOnlyDictionary<string, string> GetAll();
}

/// <summary>The current process's environment.</summary>
internal sealed class ProcessEnvironment : IProcessEnvironment
{
    public static readonly ProcessEnvironment Instance = new();

    private ProcessEnvironment()
    {
    }

    public string? Get(string name) => Environment.GetEnvironmentVariable(name);

    public void Set(string name, string? value) => Environment.SetEnvironmentVariable(name, value);

    public IReadOnlyDictionary<string, string> GetAll()
    {
        var all = new Dictionary<string, string>(OperatingSystem.IsWindows() ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            all[(string)entry.Key] = (string?)entry.Value ?? string.Empty;
        }

        return all;
    }
}

/// <summary>An environment held in memory: an agent's, or a test's.</summary>
internal sealed class InMemoryEnvironment : IProcessEnvironment
{
    private readonly Dictionary<string, string> _variables;
    private readonly object _gate = new();

    public InMemoryEnvironment(IEnumerable<KeyValuePair<string, string>>? initial = null)
    {
        _variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in initial ?? [])
        {
            _variables[name] = value;
        }
    }

    public string? Get(string name)
    {
        lock (_gate)
        {
            return _variables.GetValueOrDefault(name);
        }
    }

    public void Set(string name, string? value)
    {
        lock (_gate)
        {
            if (value is null)
            {
                _variables.Remove(name);
            }
            else
            {
                _variables[name] = value;
            }
        }
    }

    public IReadOnlyDictionary<string, string> GetAll()
    {
        lock (_gate)
        {
            return new Dictionary<string, string>(_variables, StringComparer.Ordinal);
        }
    }
}
