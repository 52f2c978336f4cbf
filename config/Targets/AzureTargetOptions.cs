using KojiComposer.Config.Binding;

namespace KojiComposer.Config;

/// <summary>
/// <c>[builder.targets.azure]</c>: Azure managed images (image types azure*), like osbuild-worker.toml's
/// <c>[azure]</c>: a service principal (client id and secret, in a file) that may manage storage accounts and images
/// in the resource groups tasks name. Without this section Azure images fail with SharingTarget (3), as composer's.
/// </summary>
public sealed record AzureTargetOptions
{
    /// <summary><c>credentials</c> (required): a TOML file with <c>client_id</c> and <c>client_secret</c> (composer's
    /// azure credentials file), read at start-up.</summary>
    public required string Credentials { get; init; }

    /// <summary><c>upload_threads</c>: page uploads in flight per image, 1 to 64; default 16 (composer's).</summary>
    public int UploadThreads { get; init; } = 16;

    /// <summary><c>resource_manager_endpoint</c>: Azure Resource Manager; default the public cloud's
    /// <c>https://management.azure.com</c>.</summary>
    public Uri ResourceManagerEndpoint { get; init; } = new("https://management.azure.com");

    /// <summary><c>authority_host</c>: Microsoft Entra ID; default <c>https://login.microsoftonline.com</c>.</summary>
    public Uri AuthorityHost { get; init; } = new("https://login.microsoftonline.com");

    /// <summary><c>blob_endpoint</c>: the blob service URL of a storage account, <c>{account}</c> standing for its
    /// name; default <c>https://{account}.blob.core.windows.net</c>.</summary>
    public string BlobEndpoint { get; init; } = "https://{account}.blob.core.windows.net";

    internal static AzureTargetOptions Bind(ConfigSection section)
    {
        var d = new AzureTargetOptions { Credentials = "" };
        var credentials = section.ReadableFile("credentials", "the Azure credentials file");
        if (credentials is null && !section.Has("credentials"))
        {
            section.Error("credentials", "required key is missing: name the file holding the service principal's client_id and client_secret");
        }
        else if (credentials is not null)
        {
            TargetBinding.CheckTomlSecrets(section, "credentials", credentials, "client_id", "client_secret");
        }

        var blob = section.String("blob_endpoint") ?? d.BlobEndpoint;
        if (!blob.Contains("{account}", StringComparison.Ordinal) || !Uri.TryCreate(blob.Replace("{account}", "account", StringComparison.Ordinal), UriKind.Absolute, out _))
        {
            section.Error("blob_endpoint", $"must be an absolute URL holding {{account}}, got {ConfigText.Quote(blob)}");
            blob = d.BlobEndpoint;
        }

        return new AzureTargetOptions
        {
            Credentials = credentials ?? "",
            UploadThreads = section.Integer("upload_threads", d.UploadThreads, 1, 64),
            ResourceManagerEndpoint = section.Url("resource_manager_endpoint") ?? d.ResourceManagerEndpoint,
            AuthorityHost = section.Url("authority_host") ?? d.AuthorityHost,
            BlobEndpoint = blob,
        };
    }
}
