namespace KojiComposer.Builder.Targets.Gcp;

/// <summary>
/// The guest OS features an imported image declares (Compute Engine <c>images.insert</c>, <c>guestOsFeatures[].type</c>).
/// Composer chooses them by distribution and does not let users set them (cloud-targets.md §5); this table is our own
/// choice from the features GCP documents, kept to those the RHEL, CentOS Stream and Fedora kernels of the gcp image
/// types support: UEFI boot, multi-queue virtio-scsi, the gVNIC network driver, and AMD SEV (x86_64 only).
/// </summary>
internal static class GcpGuestOsFeatures
{
    public const string UefiCompatible = "UEFI_COMPATIBLE";
    public const string VirtioScsiMultiqueue = "VIRTIO_SCSI_MULTIQUEUE";
    public const string SevCapable = "SEV_CAPABLE";
    public const string Gvnic = "GVNIC";

    /// <summary>The features for <paramref name="distribution"/> (e.g. <c>rhel-9.6</c>), <paramref name="arch"/>
    /// and <paramref name="bootMode"/>: a legacy-BIOS image is not UEFI_COMPATIBLE, SEV is AMD's (x86_64 only), and a
    /// distribution we do not know gets only the features that need no guest driver beyond virtio.</summary>
    public static IReadOnlyList<string> For(string distribution, string arch, string? bootMode)
    {
        var family = distribution.Split('-', 2)[0];
        var known = family is "rhel" or "centos" or "fedora";
        var features = new List<string>();
        if (bootMode is not "legacy")
        {
            features.Add(UefiCompatible);
        }

        features.Add(VirtioScsiMultiqueue);
        if (known)
        {
            if (arch == "x86_64")
            {
                features.Add(SevCapable);
            }

            features.Add(Gvnic);
        }

        return features;
    }

    /// <summary>Compute Engine's <c>architecture</c> of an image for a Koji arch, or null to let GCP choose.</summary>
    public static string? Architecture(string arch) => arch switch
    {
        "x86_64" => "X86_64",
        "aarch64" => "ARM64",
        _ => null,
    };
}
