using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>
/// The <c>[builder.targets]</c> section: where and how a worker uploads images to their cloud target
/// (cloud-targets.md). Credentials are only ever named here (files), never taken from a task; each target's
/// section is optional, and an image whose target has none fails with InvalidTargetConfig (2), saying which section
/// to add. Every key is checked at start-up (<c>kojicomposerd check-config</c>).
/// </summary>
public sealed record TargetsOptions
{
    /// <summary>Default of <see cref="NamePrefix"/>: composer's, for parity of object and image names.</summary>
    public const string DefaultNamePrefix = "composer-api-";

    /// <summary><c>name_prefix</c>: the start of generated object, AMI and image names
    /// (<c>&lt;prefix&gt;&lt;uuid&gt;</c>); default <c>composer-api-</c>.</summary>
    public string NamePrefix { get; init; } = DefaultNamePrefix;

    /// <summary><c>max_attempts</c>: how many times a target step that failed with a transient cloud error
    /// (throttling, 5xx, a dropped connection) is tried in all, with exponential backoff, before the image fails;
    /// 1 to 20, default 5. The SDKs' own per-request retries come on top.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary><c>retry_delay_seconds</c>: the first backoff delay (doubled per attempt, capped at 2 min); default 2 s.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary><c>[builder.targets.aws]</c>: AWS EC2 and AWS S3; null when absent.</summary>
    public AwsTargetOptions? Aws { get; init; }

    /// <summary><c>[builder.targets.generic_s3.NAME]</c>: S3-compatible stores by region, used for <c>aws.s3</c>
    /// uploads whose region they serve.</summary>
    public IReadOnlyList<GenericS3Options> GenericS3 { get; init; } = [];

    /// <summary><c>[builder.targets.azure]</c>; null when absent.</summary>
    public AzureTargetOptions? Azure { get; init; }

    /// <summary><c>[builder.targets.gcp]</c>; null when absent.</summary>
    public GcpTargetOptions? Gcp { get; init; }

    /// <summary><c>[builder.targets.container]</c>; defaults when absent (push to the registry the name names).</summary>
    public ContainerTargetOptions Container { get; init; } = new();

    /// <summary>The target types whose section the file has (<c>aws</c> and <c>aws.s3</c> for
    /// <c>[builder.targets.aws]</c>, <c>aws.s3</c> for a generic store, ...): their configuration problems stop the
    /// worker at start-up; the others only fail the images that need them.</summary>
    public IReadOnlySet<string> Configured { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    internal static TargetsOptions Bind(ConfigSection section)
    {
        var d = new TargetsOptions();
        var prefix = section.String("name_prefix") ?? d.NamePrefix;
        if (!NamePrefixIsValid(prefix))
        {
            section.Error("name_prefix", $"must be 1 to 40 lower-case letters, digits and '-', starting with a letter (it starts cloud image names), got {ConfigText.Quote(prefix)}");
            prefix = d.NamePrefix;
        }

        var genericSection = section.Section("generic_s3");
        var generic = genericSection.TableNames().Select(name => GenericS3Options.Bind(name, genericSection.Section(name))).ToList();
        foreach (var duplicate in generic.GroupBy(g => g.Region, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var names = duplicate.Select(g => g.Name).ToList();
            genericSection.Section(names[1]).Error("region", $"region {ConfigText.Quote(duplicate.Key)} is already served by generic_s3.{names[0]}; one store per region");
        }

        var configured = new HashSet<string>(StringComparer.Ordinal);
        if (section.Section("aws").IsPresent)
        {
            configured.UnionWith(["aws", "aws.s3"]);
        }

        if (generic.Count > 0)
        {
            configured.Add("aws.s3");
        }

        foreach (var (name, type) in new[] { ("azure", "azure"), ("gcp", "gcp"), ("container", "container") })
        {
            if (section.Section(name).IsPresent)
            {
                configured.Add(type);
            }
        }

        return new TargetsOptions
        {
            Configured = configured,
            NamePrefix = prefix,
            MaxAttempts = section.Integer("max_attempts", d.MaxAttempts, 1, 20),
            RetryDelay = section.Seconds("retry_delay_seconds", d.RetryDelay, 0, 600),
            Aws = section.Section("aws") is { IsPresent: true } aws ? AwsTargetOptions.Bind(aws) : null,
            GenericS3 = generic,
            Azure = section.Section("azure") is { IsPresent: true } azure ? AzureTargetOptions.Bind(azure) : null,
            Gcp = section.Section("gcp") is { IsPresent: true } gcp ? GcpTargetOptions.Bind(gcp) : null,
            Container = ContainerTargetOptions.Bind(section.Section("container")),
        };
    }

    /// <summary>The generic store serving <paramref name="region"/>, or null (then AWS serves it).</summary>
    public GenericS3Options? GenericS3For(string region) =>
        GenericS3.FirstOrDefault(g => string.Equals(g.Region, region, StringComparison.Ordinal));

    // GCP image names allow [a-z]([-a-z0-9]*[a-z0-9])? up to 63 characters: a prefix of at most 40 leaves the uuid room.
    private static bool NamePrefixIsValid(string prefix) =>
        prefix.Length is > 0 and <= 40 && prefix[0] is >= 'a' and <= 'z' && prefix.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
