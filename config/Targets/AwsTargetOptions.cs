using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>
/// <c>[builder.targets.aws]</c>: AWS EC2 (image types aws*: S3 staging upload, snapshot import, AMI) and AWS S3
/// (the <c>aws.s3</c> target for regions no generic store serves), like osbuild-worker.toml's <c>[aws]</c>.
/// Credentials are an AWS shared credentials file and profile; without <c>credentials</c> the SDK's default chain
/// (environment, instance profile) is used, as composer does.
/// </summary>
public sealed record AwsTargetOptions
{
    /// <summary><c>credentials</c>: AWS shared credentials file (<c>aws_access_key_id</c>,
    /// <c>aws_secret_access_key</c>, optional <c>aws_session_token</c>), read at start-up; null = SDK default chain.</summary>
    public string? Credentials { get; init; }

    /// <summary><c>profile</c>: the profile of <see cref="Credentials"/> (and of <see cref="S3Credentials"/>);
    /// default <c>default</c>.</summary>
    public string Profile { get; init; } = "default";

    /// <summary><c>bucket</c>: the staging bucket EC2 imports go through (the object is removed after the import);
    /// required for the <c>aws</c> target (composer's error 2 without one).</summary>
    public string? Bucket { get; init; }

    /// <summary><c>s3_bucket</c>: the bucket <c>aws.s3</c> uploads go to; default <see cref="Bucket"/>.</summary>
    public string? S3Bucket { get; init; }

    /// <summary><c>s3_credentials</c>: credentials file for <c>aws.s3</c> uploads; default <see cref="Credentials"/>.</summary>
    public string? S3Credentials { get; init; }

    /// <summary><c>s3_endpoint</c>: an S3 endpoint to use instead of AWS's regional one (a VPC or FIPS endpoint);
    /// null = AWS's.</summary>
    public Uri? S3Endpoint { get; init; }

    /// <summary><c>ec2_endpoint</c>: an EC2 endpoint instead of AWS's regional one; null = AWS's.</summary>
    public Uri? Ec2Endpoint { get; init; }

    /// <summary><c>force_path_style</c>: path-style S3 URLs (<c>endpoint/bucket/key</c>); default false (AWS).</summary>
    public bool ForcePathStyle { get; init; }

    /// <summary><c>import_timeout_seconds</c>: how long a snapshot import may take; default 24 h (composer's).</summary>
    public TimeSpan ImportTimeout { get; init; } = TimeSpan.FromHours(24);

    /// <summary><c>poll_interval_seconds</c>: how often a running snapshot import is looked at; default 15 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The bucket of <c>aws.s3</c> uploads.</summary>
    public string? EffectiveS3Bucket => S3Bucket ?? Bucket;

    /// <summary>The credentials file of <c>aws.s3</c> uploads.</summary>
    public string? EffectiveS3Credentials => S3Credentials ?? Credentials;

    internal static AwsTargetOptions Bind(ConfigSection section)
    {
        var d = new AwsTargetOptions();
        return new AwsTargetOptions
        {
            Credentials = section.ReadableFile("credentials", "the AWS credentials file"),
            Profile = section.NonEmptyString("profile", d.Profile),
            Bucket = TargetBinding.BucketName(section, "bucket"),
            S3Bucket = TargetBinding.BucketName(section, "s3_bucket"),
            S3Credentials = section.ReadableFile("s3_credentials", "the AWS S3 credentials file"),
            S3Endpoint = section.Url("s3_endpoint"),
            Ec2Endpoint = section.Url("ec2_endpoint"),
            ForcePathStyle = section.Boolean("force_path_style", d.ForcePathStyle),
            ImportTimeout = section.Seconds("import_timeout_seconds", d.ImportTimeout, 60, 7 * 86400),
            PollInterval = section.Seconds("poll_interval_seconds", d.PollInterval, 0.01, 3600),
        };
    }
}

/// <summary>
/// <c>[builder.targets.generic_s3.NAME]</c>: an S3-compatible store (MinIO, Ceph RGW, ...) that serves one region
/// name: an <c>aws.s3</c> upload whose <c>region</c> it is goes there instead of to AWS (composer's <c>[generic_s3]</c>,
/// which a Koji task cannot reach otherwise).
/// </summary>
public sealed record GenericS3Options
{
    /// <summary>The table's name, e.g. <c>minio</c>.</summary>
    public required string Name { get; init; }

    /// <summary><c>region</c> (required): the region name tasks ask for.</summary>
    public required string Region { get; init; }

    /// <summary><c>endpoint</c> (required): the store's URL, e.g. <c>https://minio.example.com:9000</c>.</summary>
    public required Uri Endpoint { get; init; }

    /// <summary><c>bucket</c> (required).</summary>
    public required string Bucket { get; init; }

    /// <summary><c>credentials</c>: AWS-format shared credentials file; null = the SDK's default chain.</summary>
    public string? Credentials { get; init; }

    /// <summary><c>profile</c>: the profile of <see cref="Credentials"/>; default <c>default</c>.</summary>
    public string Profile { get; init; } = "default";

    /// <summary><c>ca_bundle</c>: PEM file of the CA(s) the endpoint's certificate is checked against, instead of
    /// the system's.</summary>
    public string? CaBundle { get; init; }

    /// <summary><c>skip_ssl_verification</c>: accept any certificate (test set-ups only; logged as a warning at
    /// every upload); default false.</summary>
    public bool SkipSslVerification { get; init; }

    /// <summary><c>force_path_style</c>: path-style URLs; default true (what most S3-compatible stores need).</summary>
    public bool ForcePathStyle { get; init; } = true;

    internal static GenericS3Options Bind(string name, ConfigSection section)
    {
        var region = section.String("region");
        if (region is null)
        {
            section.Missing("region");
        }

        var endpoint = section.Url("endpoint", required: true);
        var bucket = TargetBinding.BucketName(section, "bucket");
        if (bucket is null && !section.Has("bucket"))
        {
            section.Missing("bucket");
        }

        var caBundle = section.ReadableFile("ca_bundle", "the CA bundle");
        var skip = section.Boolean("skip_ssl_verification", false);
        if (skip && caBundle is not null)
        {
            section.Error("skip_ssl_verification", "cannot be true together with ca_bundle: either check against the bundle or not at all");
        }

        return new GenericS3Options
        {
            Name = name,
            Region = region ?? "",
            Endpoint = endpoint ?? new Uri("https://invalid.invalid"),
            Bucket = bucket ?? "",
            Credentials = section.ReadableFile("credentials", "the S3 credentials file"),
            Profile = section.NonEmptyString("profile", "default"),
            CaBundle = caBundle,
            SkipSslVerification = skip,
            ForcePathStyle = section.Boolean("force_path_style", true),
        };
    }
}
