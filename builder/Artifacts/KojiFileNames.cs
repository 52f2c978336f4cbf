namespace KojiComposer.Builder.Artifacts;

/// <summary>
/// The names one image's files get in Koji (osbuild-run.md §6, cg-import.md §3): the image
/// <c>&lt;name&gt;-&lt;version&gt;-&lt;release&gt;.&lt;arch&gt;&lt;ext&gt;</c>, and its manifest, log and SBOMs named after it.
/// </summary>
public static class KojiFileNames
{
    /// <summary>The image file's Koji name, e.g. <c>Fedora-Cloud-42-1.x86_64.qcow2</c> for <c>disk.qcow2</c>.</summary>
    public static string Image(string name, string version, string release, string arch, string defaultFilename) =>
        $"{name}-{version}-{release}.{arch}{Extension(defaultFilename)}";

    /// <summary>Everything from the first dot of <paramref name="filename"/>, a leading dot ignored; empty when there
    /// is no dot: <c>disk.qcow2</c> → <c>.qcow2</c>, <c>image.raw.xz</c> → <c>.raw.xz</c>.</summary>
    public static string Extension(string filename)
    {
        var trimmed = filename.StartsWith('.') ? filename[1..] : filename;
        var dot = trimmed.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? "" : trimmed[dot..];
    }

    /// <summary><c>&lt;image&gt;.manifest.json</c>.</summary>
    public static string Manifest(string imageFile) => imageFile + ".manifest.json";

    /// <summary><c>&lt;image&gt;.osbuild.log</c>.</summary>
    public static string Log(string imageFile) => imageFile + ".osbuild.log";

    /// <summary><c>&lt;image&gt;.&lt;purpose&gt;-&lt;pipeline&gt;.spdx.json</c>, e.g. <c>….buildroot-build.spdx.json</c>.</summary>
    public static string Sbom(string imageFile, string suffix) => $"{imageFile}.{suffix}.spdx.json";
}
