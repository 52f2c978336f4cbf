using System.Security.Cryptography;

namespace KojiComposer.HubSimulator.State;

/// <summary>
/// Everything the simulated hub knows, guarded by <see cref="Sync"/>: a handler holds the lock for its whole call, so
/// calls are serialized like rows in one database. Feature files add their own tables as partial parts.
/// </summary>
public sealed partial class HubState
{
    /// <summary>Held for the length of every call.</summary>
    public Lock Sync { get; } = new();

    public Dictionary<long, SimUser> Users { get; } = [];

    public Dictionary<long, SimHost> Hosts { get; } = [];

    public Dictionary<long, SimSession> Sessions { get; } = [];

    /// <summary>Channels by name (<c>default</c> 1, ..., <c>image</c> 7 as on the observed hub).</summary>
    public Dictionary<string, long> Channels { get; } = new(StringComparer.Ordinal)
    {
        ["default"] = 1,
        ["createrepo"] = 2,
        ["maven"] = 3,
        ["livecd"] = 4,
        ["appliance"] = 5,
        ["vm"] = 6,
        ["image"] = 7,
        ["livemedia"] = 8,
    };

    /// <summary>The database event counter (koji <c>events</c>).</summary>
    public long Event { get; set; } = 1;

    private readonly Dictionary<string, long> _sequences = new(StringComparer.Ordinal);

    /// <summary>A per-table id sequence, like PostgreSQL's: ids start at 1 in every table.</summary>
    public long Sequence(string table)
    {
        _sequences.TryGetValue(table, out var last);
        _sequences[table] = last + 1;
        return last + 1;
    }

    public SimUser AddUser(string name, string? principal, int userType = 0)
    {
        var user = new SimUser { Id = Sequence("users"), Name = name, UserType = userType };
        if (principal is not null)
        {
            user.Principals.Add(principal);
        }

        Users[user.Id] = user;
        return user;
    }

    public SimHost AddHost(string name, string principal, IEnumerable<string> arches, params string[] channels)
    {
        var user = AddUser(name, principal, userType: 1);
        var host = new SimHost { Id = Sequence("host"), Name = name, UserId = user.Id };
        host.Arches.AddRange(arches);
        host.Channels.Add(Channels["default"]);
        foreach (var channel in channels)
        {
            host.Channels.Add(Channels[channel]);
        }

        Hosts[host.Id] = host;
        return host;
    }

    public SimUser? UserByPrincipal(string principal) =>
        Users.Values.FirstOrDefault(u => u.Principals.Contains(principal, StringComparer.Ordinal));

    public SimUser? UserByName(string name) =>
        Users.Values.FirstOrDefault(u => string.Equals(u.Name, name, StringComparison.Ordinal));

    public SimHost? HostOfUser(long userId) => Hosts.Values.FirstOrDefault(h => h.UserId == userId);

    public SimSession NewSession(long userId, string clientAddress, DateTimeOffset now, long? master = null)
    {
        var session = new SimSession
        {
            Id = Sequence("sessions"),
            Key = NewKey(userId),
            UserId = userId,
            Master = master,
            ClientAddress = clientAddress,
            StartTime = now,
            RenewTime = now,
            UpdateTime = now,
        };
        Sessions[session.Id] = session;
        return session;
    }

    /// <summary>Koji's key shape: <c>&lt;user id&gt;-&lt;19 random characters&gt;</c> (koji-wire.md §3).</summary>
    public static string NewKey(long userId)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        return $"{userId}-{RandomNumberGenerator.GetString(Alphabet, 19)}";
    }
}
