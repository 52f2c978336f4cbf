using Azure.Core;
using Azure.Core.Pipeline;
using KojiComposer.Contracts.Targets;

namespace KojiComposer.Builder.Targets.Azure;

/// <summary>
/// What tests change in the Azure SDK clients of <see cref="AzureImageTarget"/>: the HTTP transport (a local HTTPS
/// fake of ARM and Entra ID with a private CA, fault injection in front of azurite), the SDK's own retries, or the
/// whole management side. Production uses <see cref="Default"/>: the SDKs' transports and retry policies.
/// </summary>
internal sealed record AzureSdkHooks
{
    /// <summary>The SDKs' defaults.</summary>
    public static AzureSdkHooks Default { get; } = new();

    /// <summary>The transport of every client (token, ARM, blobs); null: the SDK's own.</summary>
    public HttpPipelineTransport? Transport { get; init; }

    /// <summary>Per-request retries of every client; null: the SDK's default (3, exponential from 0.8 s).</summary>
    public int? MaxRetries { get; init; }

    /// <summary>First retry delay of every client; null: the SDK's default.</summary>
    public TimeSpan? RetryDelay { get; init; }

    /// <summary>Makes the management client from the task's options and the service principal's credential; null:
    /// <see cref="AzureResourceManager"/>.</summary>
    public Func<AzureUploadOptions, TokenCredential, IAzureManagement>? Management { get; init; }

    /// <summary>Names a new storage account; null: <see cref="AzureImageTarget.NewStorageAccountName"/> (tests give
    /// azurite's one account name).</summary>
    public Func<string>? StorageAccountName { get; init; }

    /// <summary>Applies the transport and retry settings to SDK client options.</summary>
    public void Apply(ClientOptions options)
    {
        if (Transport is not null)
        {
            options.Transport = Transport;
        }

        if (MaxRetries is { } retries)
        {
            options.Retry.MaxRetries = retries;
        }

        if (RetryDelay is { } delay)
        {
            options.Retry.Delay = delay;
            options.Retry.MaxDelay = delay;
        }
    }
}
