namespace KojiComposer.Contracts.Images;

/// <summary>
/// The hub directory (relative to <c>&lt;KojiDir&gt;/work</c>) that every file of one compose's Koji build is uploaded
/// into and imported from (cg-import.md §3): <c>osbuild-cg/osbuild-composer-koji-&lt;compose id&gt;</c>. Derived from
/// the compose id, so the reservation, every worker and the import agree on it without passing it around, and a
/// retried compose keeps uploading into the same place.
/// </summary>
public static class KojiUploadDirectory
{
    /// <summary>The directory's parent, the content generator's area.</summary>
    public const string Parent = "osbuild-cg";

    /// <summary>The upload directory of compose <paramref name="composeId"/>.</summary>
    public static string For(Guid composeId) => $"{Parent}/osbuild-composer-koji-{composeId:D}";
}
