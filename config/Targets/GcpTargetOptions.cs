using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>
/// <c>[builder.targets.gcp]</c>: Google Compute Engine images (image types gcp*), like osbuild-worker.toml's
/// <c>[gcp]</c>: a service account key (JSON) and the bucket images are staged in; without <c>credentials</c>,
/// Application Default Credentials.
/// </summary>
public sealed record GcpTargetOptions
{
    /// <summary><c>credentials</c>: a service account key file (JSON, <c>"type": "service_account"</c>), read at
    /// start-up; null = Application Default Credentials.</summary>
    public string? Credentials { get; init; }

    /// <summary><c>bucket</c>: the staging bucket when the task names none; a task without <c>bucket</c> needs it.</summary>
    public string? Bucket { get; init; }

    /// <summary><c>project_id</c>: the project images are made in; default the credentials' <c>project_id</c>.</summary>
    public string? ProjectId { get; init; }

    /// <summary><c>storage_endpoint</c>: Cloud Storage's JSON API; default Google's.</summary>
    public Uri? StorageEndpoint { get; init; }

    /// <summary><c>compute_endpoint</c>: Compute Engine's API root (…/compute/v1/); default Google's.</summary>
    public Uri? ComputeEndpoint { get; init; }

    /// <summary><c>operation_timeout_seconds</c>: how long an image import may take; default 2 h.</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromHours(2);

    /// <summary><c>poll_interval_seconds</c>: how often a running import is looked at; default 10 s.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(10);

    internal static GcpTargetOptions Bind(ConfigSection section)
    {
        var d = new GcpTargetOptions();
        var credentials = section.ReadableFile("credentials", "the GCP service account key");
        if (credentials is not null)
        {
            TargetBinding.CheckJsonSecrets(section, "credentials", credentials, "client_email", "private_key");
        }

        return new GcpTargetOptions
        {
            Credentials = credentials,
            Bucket = TargetBinding.BucketName(section, "bucket"),
            ProjectId = section.String("project_id"),
            StorageEndpoint = section.Url("storage_endpoint"),
            ComputeEndpoint = section.Url("compute_endpoint"),
            OperationTimeout = section.Seconds("operation_timeout_seconds", d.OperationTimeout, 60, 7 * 86400),
            PollInterval = section.Seconds("poll_interval_seconds", d.PollInterval, 0.01, 3600),
        };
    }
}
