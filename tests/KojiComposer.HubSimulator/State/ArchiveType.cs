namespace KojiComposer.HubSimulator.State;

/// <summary>
/// A row of the hub's <c>archivetypes</c> table. <see cref="Extensions"/> is space-separated, matched against file
/// name suffixes (cg-import.md §6.3).
/// </summary>
public sealed record ArchiveType(long Id, string Name, string Description, string Extensions, string? CompressionType)
{
    /// <summary>
    /// The image-related types of the observed hub, with the ids of a hub created from the current schema
    /// (cg-import.md §6.3, observed/koji-hub-edge-cases.txt). <c>wsl</c> exists only on hubs whose schema has it
    /// (koji 1.37; the observed hub had it): leave it out with <see cref="HubSimulatorOptions.WslArchiveType"/>.
    /// </summary>
    public static IReadOnlyList<ArchiveType> Observed { get; } =
    [
        new(4, "tar", "Tar file", "tar tar.gz tar.bz2 tar.xz tgz", "tar"),
        new(18, "iso", "CD/DVD Image", "iso", null),
        new(19, "raw", "Raw disk image", "raw", null),
        new(21, "qcow2", "QCOW2 image", "qcow2", null),
        new(22, "vmdk", "vSphere image", "vmdk", null),
        new(23, "ova", "Open Virtualization Archive", "ova", null),
        new(41, "vhd", "Hyper-V image", "vhd", null),
        new(42, "vhdx", "Hyper-V Virtual Hard Disk v2 image", "vhdx", null),
        new(44, "box", "Vagrant Box Image", "box", null),
        new(45, "raw-xz", "xz compressed raw disk image", "raw.xz", null),
        new(46, "json", "JSON data", "json", null),
        new(60, "raw-gz", "GZIP compressed raw disk image", "raw.gz", null),
        new(61, "qcow2-compressed", "Compressed QCOW2 image", "qcow2.gz qcow2.xz", null),
        new(62, "iso-compressed", "Compressed iso image", "iso.gz iso.xz", null),
        new(63, "vhd-compressed", "Compressed VHD image", "vhd.gz vhd.xz", null),
        new(65, "vmdk-compressed", "Compressed VMDK image", "vmdk.gz vmdk.xz", null),
        new(67, "initramfs", "Compressed Initramfs Image", "img", null),
        new(76, "wsl", "Compressed tarball for Windows Subsystem for Linux", "wsl", null),
    ];

    public bool HasExtension(string extension) =>
        Extensions.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(e => string.Equals(e.ToLowerInvariant(), extension, StringComparison.Ordinal));
}
