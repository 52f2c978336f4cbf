namespace KojiComposer.Contracts.Targets;

/// <summary>
/// The upload target types (cloud-targets.md §1): what <c>upload_status.type</c> says, which image types default to
/// which, and the osbuild-style target names the Content Generator metadata uses (<c>upload_target_results[].name</c>).
/// A closed set: a type not listed here is not a target.
/// </summary>
public static class UploadTargetTypes
{
    /// <summary>The implicit Koji upload (never listed as a cloud target).</summary>
    public const string Koji = "koji";

    /// <summary>AWS EC2: an AMI.</summary>
    public const string Aws = "aws";

    /// <summary>AWS S3 or a generic S3 store: an object and a URL.</summary>
    public const string AwsS3 = "aws.s3";

    /// <summary>Google Compute Engine image.</summary>
    public const string Gcp = "gcp";

    /// <summary>Azure managed image.</summary>
    public const string Azure = "azure";

    /// <summary>Container registry push.</summary>
    public const string Container = "container";

    /// <summary>OCI object storage.</summary>
    public const string OciObjectStorage = "oci.objectstorage";

    /// <summary>Every cloud target type.</summary>
    public static IReadOnlyList<string> Cloud { get; } = [Aws, AwsS3, Gcp, Azure, Container, OciObjectStorage];

    /// <summary>The image type's default target: the target its <c>upload_options</c> are meant for.</summary>
    public static string DefaultFor(string imageType) => imageType switch
    {
        _ when imageType.StartsWith("aws", StringComparison.Ordinal) => Aws,
        _ when imageType.StartsWith("azure", StringComparison.Ordinal) => Azure,
        _ when imageType.StartsWith("gcp", StringComparison.Ordinal) => Gcp,
        "edge-container" or "iot-container" or "iot-bootable-container" => Container,
        "oci" => OciObjectStorage,
        _ => AwsS3,
    };

    /// <summary>The target's name in results and CG metadata (<c>org.osbuild.aws</c>, ...), or null for an unknown type.</summary>
    public static string? NameOf(string type) => type switch
    {
        Koji => "org.osbuild.koji",
        Aws => "org.osbuild.aws",
        AwsS3 => "org.osbuild.aws.s3",
        Gcp => "org.osbuild.gcp",
        Azure => "org.osbuild.azure.image",
        Container => "org.osbuild.container",
        OciObjectStorage => "org.osbuild.oci.objectstorage",
        _ => null,
    };
}
