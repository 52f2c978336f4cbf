namespace KojiComposer.Builder.Targets.Aws;

/// <summary>
/// The EC2 calls of the <c>aws</c> target (cloud-targets.md §2 steps 2 and 4–6), so a fake can stand in. The real one
/// is <see cref="AmazonEc2Calls"/>; the SDK's exceptions pass through (the target classifies them).
/// </summary>
internal interface IEc2Calls : IDisposable
{
    /// <summary>ImportSnapshot of the RAW disk at <c>s3://bucket/key</c>; returns the import task id.
    /// <paramref name="clientToken"/> makes a repeated call return the same task.</summary>
    Task<string> ImportSnapshotAsync(string bucket, string key, string description, string clientToken, CancellationToken cancellationToken);

    /// <summary>DescribeImportSnapshotTasks of one task.</summary>
    Task<SnapshotImportStatus> DescribeImportAsync(string importTaskId, CancellationToken cancellationToken);

    /// <summary>CancelImportTask (on cancellation and timeout).</summary>
    Task CancelImportAsync(string importTaskId, CancellationToken cancellationToken);

    /// <summary>CreateTags <c>Name=<paramref name="name"/></c> on a snapshot or image.</summary>
    Task TagNameAsync(string resourceId, string name, CancellationToken cancellationToken);

    /// <summary>RegisterImage; returns the AMI id.</summary>
    Task<string> RegisterImageAsync(AmiRegistration registration, CancellationToken cancellationToken);

    /// <summary>DescribeImages of this account's AMI named <paramref name="name"/>: its id, or null when there is none
    /// (a RegisterImage whose answer was lost may have made it).</summary>
    Task<string?> FindImageAsync(string name, CancellationToken cancellationToken);

    /// <summary>ModifySnapshotAttribute: createVolumePermission add for <paramref name="account"/>.</summary>
    Task ShareSnapshotAsync(string snapshotId, string account, CancellationToken cancellationToken);

    /// <summary>ModifyImageAttribute: launchPermission add for <paramref name="account"/>.</summary>
    Task ShareImageAsync(string imageId, string account, CancellationToken cancellationToken);
}

/// <summary>What DescribeImportSnapshotTasks says of a task: <c>active</c>, <c>completed</c>, <c>deleting</c>,
/// <c>deleted</c> (with <see cref="Message"/>), its progress in percent and, once done, the snapshot.</summary>
internal sealed record SnapshotImportStatus(string Status, int Progress, string? Message, string? SnapshotId);

/// <summary>A RegisterImage request: name, EC2 architecture (<c>x86_64</c>, <c>arm64</c>), snapshot and boot mode
/// (<c>uefi-preferred</c>, <c>uefi</c>, <c>legacy-bios</c> or null for EC2's default).</summary>
internal sealed record AmiRegistration(string Name, string Architecture, string SnapshotId, string? BootMode);
