namespace KojiComposer.HubSimulator.State;

/// <summary>Build states (koji.BUILD_STATES).</summary>
public enum BuildState
{
    Building = 0,
    Complete = 1,
    Deleted = 2,
    Failed = 3,
    Canceled = 4,
}

/// <summary>A build (koji <c>build</c>), with its CG reservation (<c>build_reservations</c>) when it has one.</summary>
public sealed class SimBuild
{
    public required long Id { get; init; }

    public required long PackageId { get; init; }

    public required string Name { get; init; }

    public required string Version { get; init; }

    public required string Release { get; init; }

    public string Nvr => $"{Name}-{Version}-{Release}";

    public string? Epoch { get; set; }

    public BuildState State { get; set; }

    public long OwnerId { get; set; }

    public long? TaskId { get; set; }

    public long? CgId { get; set; }

    public long VolumeId { get; set; }

    public string? Source { get; set; }

    /// <summary>The build's extra data (decoded JSON), or null.</summary>
    public object? Extra { get; set; }

    public bool Draft { get; set; }

    public long CreateEvent { get; set; }

    public DateTimeOffset CreationTime { get; set; }

    public DateTimeOffset? StartTime { get; set; }

    public DateTimeOffset? CompletionTime { get; set; }

    /// <summary>The CG reservation token (<c>build_reservations</c>), while reserved.</summary>
    public string? ReservationToken { get; set; }

    /// <summary>Build types (<c>build_types</c>): <c>image</c>, ...</summary>
    public HashSet<string> Types { get; } = new(StringComparer.Ordinal);
}

/// <summary>An archive of a build (koji <c>archiveinfo</c> + <c>image_archives</c>).</summary>
public sealed record SimArchive
{
    public required long Id { get; init; }

    public required long BuildId { get; init; }

    public long? BuildrootId { get; init; }

    public required ArchiveType Type { get; init; }

    public required string Btype { get; init; }

    public required long BtypeId { get; init; }

    public required string Filename { get; init; }

    public required long Size { get; init; }

    public required string Checksum { get; init; }

    /// <summary>koji.CHECKSUM_TYPES: md5 0, sha1 1, sha256 2.</summary>
    public required int ChecksumType { get; init; }

    public object? Extra { get; init; }

    public bool MetadataOnly { get; init; }
}
