namespace KojiComposer.Scheduler.Koji.Intake;

/// <summary>
/// Image types whose Koji archive Pungi's osbuild phase never picks up (osbuildimage-task.md §10, cg-import.md
/// §6.3 and §7.3): their file's archive type is not in Pungi's accepted list, so the build succeeds and the image is
/// imported, but a Pungi compose silently leaves it out. The extensions are those of the image types' default file
/// names in our image type catalogue (builder/Catalogue/catalogue.json, osbuild-run.md §7).
/// </summary>
internal static class PungiArchives
{
    private static readonly Dictionary<string, (string Extension, string ArchiveType)> Skipped = new(StringComparer.Ordinal)
    {
        ["azure"] = (".vhd", "vhd"),
        ["vsphere-ova"] = (".ova", "ova"),
        ["gcp"] = (".tar.gz", "tar"),
        ["gcp-rhui"] = (".tar.gz", "tar"),
        ["edge-commit"] = (".tar", "tar"),
        ["iot-commit"] = (".tar", "tar"),
        ["edge-container"] = (".tar", "tar"),
        ["iot-container"] = (".tar", "tar"),
        ["pxe-tar-xz"] = (".tar.xz", "tar"),
        ["wsl"] = (".wsl", "wsl"),
    };

    /// <summary>The warning for <paramref name="imageType"/> (the mapped name), or null when Pungi takes its
    /// archive.</summary>
    public static string? Warning(string imageType) =>
        Skipped.TryGetValue(imageType, out var skipped)
            ? $"image type {imageType} makes a {skipped.Extension} file (Koji archive type {skipped.ArchiveType}), which Pungi's osbuild phase skips: "
              + "the build is imported into Koji, but a Pungi compose will not include the image"
            : null;
}
