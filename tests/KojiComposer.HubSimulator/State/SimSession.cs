namespace KojiComposer.HubSimulator.State;

/// <summary>A hub session (koji <c>sessions</c> table, kojihub/auth.py).</summary>
public sealed class SimSession
{
    public required long Id { get; init; }

    public required string Key { get; set; }

    public required long UserId { get; init; }

    /// <summary>The client address the session is bound to (CheckClientIP).</summary>
    public required string ClientAddress { get; init; }

    /// <summary>The master session of a subsession.</summary>
    public long? Master { get; init; }

    public bool Exclusive { get; set; }

    public bool Expired { get; set; }

    public bool Closed { get; set; }

    /// <summary>The call number of the latest call that committed a write; null before any.</summary>
    public long? StoredCallNumber { get; set; }

    /// <summary>Authtype GSSAPI 3.</summary>
    public int AuthType { get; init; } = 3;

    public DateTimeOffset StartTime { get; init; }

    public DateTimeOffset RenewTime { get; set; }

    public DateTimeOffset UpdateTime { get; set; }
}
