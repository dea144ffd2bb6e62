using System.Globalization;

namespace AiSwitch.Protocol;

/// <summary>
/// A protocol version "major.minor.patch" (seed 003: a new major breaks compatibility; minor and patch do not).
/// </summary>
public readonly record struct ProtocolVersion(int Major, int Minor, int Patch) : IComparable<ProtocolVersion>
{
    /// <summary>The version this AiSwitch speaks.</summary>
    public static ProtocolVersion Current { get; } = new(1, 0, 0);

    public static bool TryParse(string? text, out ProtocolVersion version)
    {
        version = default;
        var parts = text?.Split('.');
        if (parts is null || parts.Length is < 1 or > 3)
        {
            return false;
        }

        var numbers = new int[3];
        for (var i = 0; i < parts.Length; i++)
        {
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out numbers[i]))
            {
                return false;
            }
        }

        version = new ProtocolVersion(numbers[0], numbers[1], numbers[2]);
        return true;
    }

    public static ProtocolVersion Parse(string? text) => TryParse(text, out var version)
        ? version
        : throw new AiSwitchException(
            ErrorId.RpcInvalidParams,
            $"Protocol version '{text}' is not of the form major.minor.patch, such as {Current}.",
            text);

    /// <summary>
    /// The version two sides will speak: the highest major both know, and within it the lower of the two sides'
    /// newest versions (a newer minor only adds what the older side can do without).
    /// </summary>
    /// <exception cref="AiSwitchException"><see cref="ErrorId.ProtocolVersionMismatch"/> when no major is shared.</exception>
    public static ProtocolVersion Negotiate(IEnumerable<ProtocolVersion> local, IEnumerable<ProtocolVersion> remote, string peerName = "the agent")
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        var ours = local.ToList();
        var theirs = remote.ToList();
        ProtocolVersion? best = null;
        foreach (var mine in ours)
        {
            foreach (var other in theirs)
            {
                if (mine.Major != other.Major)
                {
                    continue;
                }

                var agreed = mine.CompareTo(other) <= 0 ? mine : other;
                if (best is null || agreed.CompareTo(best.Value) > 0)
                {
                    best = agreed;
                }
            }
        }

        return best ?? throw new AiSwitchException(
            ErrorId.ProtocolVersionMismatch,
            $"Protocol version mismatch: {peerName} speaks {string.Join(", ", theirs)}, this AiSwitch speaks " +
            $"{string.Join(", ", ours)}; no major version is shared. Use an agent built for protocol " +
            $"{string.Join(" or ", ours.Select(v => $"{v.Major}.x").Distinct())}, or update AiSwitch.",
            peerName);
    }

    /// <summary>Negotiates from <c>agent.initialize</c> params: its protocol_version plus any supported_versions.</summary>
    public static ProtocolVersion Negotiate(InitializeParams offer, IEnumerable<ProtocolVersion> local, string peerName = "the coordinator")
    {
        ArgumentNullException.ThrowIfNull(offer);
        var offered = (offer.SupportedVersions ?? []).Append(offer.ProtocolVersion).Select(Parse);
        return Negotiate(local, offered, peerName);
    }

    public int CompareTo(ProtocolVersion other)
    {
        var major = Major.CompareTo(other.Major);
        if (major != 0)
        {
            return major;
        }

        var minor = Minor.CompareTo(other.Minor);
        return minor != 0 ? minor : Patch.CompareTo(other.Patch);
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}");
}
