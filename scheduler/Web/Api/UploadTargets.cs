namespace KojiComposer.Scheduler.Web.Api;

/// <summary>The image type's default upload target (cloud-targets.md §1): the target the request's
/// <c>upload_options</c> are meant for.</summary>
internal static class UploadTargets
{
    public const string Koji = "koji";

    public static string DefaultTarget(string imageType) => imageType switch
    {
        _ when imageType.StartsWith("aws", StringComparison.Ordinal) => "aws",
        _ when imageType.StartsWith("azure", StringComparison.Ordinal) => "azure",
        _ when imageType.StartsWith("gcp", StringComparison.Ordinal) => "gcp",
        "edge-container" or "iot-container" => "container",
        "oci" => "oci.objectstorage",
        _ => "aws.s3",
    };
}
