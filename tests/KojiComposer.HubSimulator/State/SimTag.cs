using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubSimulator.State;

/// <summary>A tag (koji <c>tag</c> + <c>tag_config</c> + <c>tag_extra</c> + <c>tag_inheritance</c>).</summary>
public sealed class SimTag
{
    public required long Id { get; init; }

    public required string Name { get; init; }

    /// <summary>Space-separated arches, or null (then inherited through <see cref="Parents"/>).</summary>
    public string? Arches { get; set; }

    public bool Locked { get; set; }

    /// <summary>The permission needed to tag into it (<c>perm</c>), or null.</summary>
    public string? Perm { get; set; }

    public XmlRpcStruct Extra { get; } = [];

    /// <summary>Inheritance links, in priority order.</summary>
    public List<long> Parents { get; } = [];

    /// <summary>The event that created the tag.</summary>
    public long CreateEvent { get; init; }
}

/// <summary>A build target (koji <c>build_target</c> + <c>build_target_config</c>).</summary>
public sealed record SimTarget(long Id, string Name, long BuildTagId, long DestTagId);

/// <summary>An entry of a tag's package list (koji <c>tag_packages</c> + <c>tag_package_owners</c>).</summary>
public sealed record SimPackageListing(long PackageId, long OwnerId, bool Blocked);

/// <summary>A build in a tag, current or revoked (koji <c>tag_listing</c>): the tag history.</summary>
public sealed class SimTagListing
{
    public required long TagId { get; init; }

    public required long BuildId { get; init; }

    public required long CreatorId { get; init; }

    public required long CreateEvent { get; init; }

    public long? RevokeEvent { get; set; }

    public bool Active => RevokeEvent is null;
}

/// <summary>Repository states (koji.REPO_STATES).</summary>
public enum RepoState
{
    Init = 0,
    Ready = 1,
    Expired = 2,
    Deleted = 3,
    Problem = 4,
}

/// <summary>A repository of a tag (koji <c>repo</c>).</summary>
public sealed class SimRepo
{
    public required long Id { get; init; }

    public required long TagId { get; init; }

    public RepoState State { get; set; } = RepoState.Ready;

    public required long CreateEvent { get; init; }

    public required DateTimeOffset CreateTime { get; init; }

    public DateTimeOffset StateTime { get; set; }

    public long? TaskId { get; init; }
}

/// <summary>A repo request (koji <c>repo_queue</c>), made by <c>repo.request</c> when no repo fits.</summary>
public sealed class SimRepoRequest
{
    public required long Id { get; init; }

    public required long TagId { get; init; }

    public required long Owner { get; init; }

    public required int Priority { get; init; }

    public long? MinEvent { get; init; }

    public long? AtEvent { get; init; }

    public required DateTimeOffset CreateTime { get; init; }

    public bool Active { get; set; } = true;
}
