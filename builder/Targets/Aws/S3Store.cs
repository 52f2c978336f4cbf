using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using KojiComposer.Config;

namespace KojiComposer.Builder.Targets.Aws;

/// <summary>
/// One S3 store a target writes to: AWS S3 of a region (<c>[builder.targets.aws]</c>) or a generic S3-compatible
/// store (<c>[builder.targets.generic_s3.NAME]</c>), cloud-targets.md §3, and how to make a client for it.
/// </summary>
internal sealed record S3Store
{
    /// <summary>For messages and logs: <c>AWS S3</c> or <c>generic_s3.NAME</c>.</summary>
    public required string Description { get; init; }

    public required string Region { get; init; }

    public required string Bucket { get; init; }

    /// <summary>A non-AWS endpoint (generic store, VPC or test endpoint), or null for AWS's regional one.</summary>
    public Uri? Endpoint { get; init; }

    public bool ForcePathStyle { get; init; }

    /// <summary>Shared credentials file, or null for the SDK's default chain.</summary>
    public string? CredentialsFile { get; init; }

    public string Profile { get; init; } = "default";

    public string? CaBundle { get; init; }

    public bool SkipSslVerification { get; init; }

    /// <summary>The generic store serving <paramref name="region"/>, else AWS S3 from <c>[builder.targets.aws]</c>
    /// (cloud-targets.md §3: a region with a generic endpoint goes there).</summary>
    /// <exception cref="TargetFailedException">InvalidTargetConfig (2): no store for the region, or no bucket.</exception>
    public static S3Store ForS3Upload(TargetsOptions options, string region)
    {
        if (options.GenericS3For(region) is { } generic)
        {
            return new S3Store
            {
                Description = $"generic_s3.{generic.Name}",
                Region = region,
                Bucket = generic.Bucket,
                Endpoint = generic.Endpoint,
                ForcePathStyle = generic.ForcePathStyle,
                CredentialsFile = generic.Credentials,
                Profile = generic.Profile,
                CaBundle = generic.CaBundle,
                SkipSslVerification = generic.SkipSslVerification,
            };
        }

        var aws = options.Aws ?? throw TargetFailedException.Config(
            $"no S3 store for region {region}: add a [builder.targets.aws] section with s3_bucket, or a [builder.targets.generic_s3.NAME] store with region = \"{region}\"");
        return new S3Store
        {
            Description = "AWS S3",
            Region = region,
            Bucket = aws.EffectiveS3Bucket ?? throw TargetFailedException.Config(
                "[builder.targets.aws] has no s3_bucket (nor bucket): aws.s3 uploads need one"),
            Endpoint = aws.S3Endpoint,
            ForcePathStyle = aws.ForcePathStyle,
            CredentialsFile = aws.EffectiveS3Credentials,
            Profile = aws.Profile,
        };
    }

    /// <summary>The EC2 staging bucket of <c>[builder.targets.aws]</c> in <paramref name="region"/> (§2 step 1).</summary>
    /// <exception cref="TargetFailedException">InvalidTargetConfig (2): no section or no bucket.</exception>
    public static S3Store ForEc2Staging(TargetsOptions options, string region)
    {
        var aws = options.Aws ?? throw TargetFailedException.Config(
            "no [builder.targets.aws] section: the aws target needs one with bucket (the staging bucket) and credentials");
        return new S3Store
        {
            Description = "AWS S3 staging",
            Region = region,
            Bucket = aws.Bucket ?? throw TargetFailedException.Config(
                "[builder.targets.aws] has no bucket: the aws target stages images in it before the snapshot import"),
            Endpoint = aws.S3Endpoint,
            ForcePathStyle = aws.ForcePathStyle,
            CredentialsFile = aws.Credentials,
            Profile = aws.Profile,
        };
    }

    /// <summary>A client for this store; <paramref name="tweak"/> lets tests shorten the SDK's retries.</summary>
    /// <exception cref="TargetFailedException">InvalidTargetConfig (2): credentials or CA bundle unusable.</exception>
    public AmazonS3Client CreateClient(Action<ClientConfig>? tweak = null)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = ForcePathStyle,
            // Checksums only where S3 requires them: S3-compatible stores (s3rver, older MinIO/Ceph) reject or
            // mis-store the trailing checksums newer SDKs add; the payload is signed (SigV4) and TLS-protected anyway.
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
            Timeout = TimeSpan.FromMinutes(10),
        };
        if (Endpoint is null)
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(Region);
        }
        else
        {
            config.ServiceURL = Endpoint.ToString();
            config.AuthenticationRegion = Region;
        }

        if (CaBundle is not null || SkipSslVerification)
        {
            config.HttpClientFactory = TlsHttpClientFactory.Create(CaBundle, SkipSslVerification);
        }

        tweak?.Invoke(config);
        return CredentialsFile is null
            ? new AmazonS3Client(config)
            : new AmazonS3Client(AwsCredentialFile.Load(CredentialsFile, Profile), config);
    }

    /// <summary>Problems of this store found without calling it (credentials file, CA bundle).</summary>
    public IEnumerable<string> Problems()
    {
        if (CredentialsFile is not null && AwsCredentialFile.Problem(CredentialsFile, Profile) is { } problem)
        {
            yield return problem;
        }

        if (CaBundle is not null && TlsHttpClientFactory.BundleProblem(CaBundle) is { } bundle)
        {
            yield return bundle;
        }
    }
}
