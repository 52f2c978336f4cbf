namespace KojiComposer.HubSimulator.State;

/// <summary>A Koji user (usertype NORMAL 0 or HOST 1), as in koji's <c>users</c> table.</summary>
public sealed class SimUser
{
    public required long Id { get; init; }

    public required string Name { get; init; }

    public int UserType { get; init; }

    /// <summary>0 = NORMAL, 1 = BLOCKED.</summary>
    public int Status { get; set; }

    public List<string> Principals { get; } = [];

    /// <summary>Permissions (<c>admin</c>, <c>image</c>, ...).</summary>
    public HashSet<string> Permissions { get; } = new(StringComparer.Ordinal);

    /// <summary>Content generators this user may import for (<c>grant-cg-access</c>).</summary>
    public HashSet<string> ContentGenerators { get; } = new(StringComparer.Ordinal);

    public bool IsHost => UserType == 1;
}
