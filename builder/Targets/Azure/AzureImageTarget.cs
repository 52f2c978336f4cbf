using System.Security.Cryptography;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Specialized;
using KojiComposer.Config;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using KojiComposer.Contracts.Targets;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Targets.Azure;

/// <summary>
/// The <c>azure</c> target (cloud-targets.md §4, composer's <c>org.osbuild.azure.image</c>): the fixed VHD goes into
/// a page blob of a storage account the resource group keeps for image uploads, then becomes a managed image.
/// <list type="number">
/// <item>Location: the task's, else the resource group's.</item>
/// <item>Storage account: the one tagged <c>imageBuilderStorageAccount=location=&lt;location&gt;</c>, else a new
/// <c>ib&lt;random&gt;</c> with that tag (composer's convention, so both share accounts).</item>
/// <item>An account key; the blob container <c>imagebuilder</c>.</item>
/// <item>The page blob <c>&lt;image name&gt;.vhd</c>: data pages only, in parallel, each with its MD5, then the
/// blob's Content-MD5. Resumable: a later call finds the blob by its size and MD5 metadata and sends only the pages
/// it lacks (<see cref="TargetRetry"/> calls us again after a transient failure).</item>
/// <item>The managed image: Linux, generalized, Hyper-V generation V1 (V2 when composer's API asks for it).</item>
/// </list>
/// Errors: no <c>[builder.targets.azure]</c> → SharingTarget (3, composer's code for missing Azure credentials);
/// credentials unusable → InvalidTargetConfig (2); steps 1–4 → UploadingImage (11); step 5 → ImportingImage (12).
/// </summary>
public sealed partial class AzureImageTarget : IUploadTarget
{
    /// <summary>The storage account tag composer's image builder looks for; its value is <c>location=&lt;location&gt;</c>.</summary>
    internal const string StorageAccountTag = "imageBuilderStorageAccount";

    /// <summary>The tag on every managed image this target makes: a token of the upload that made it (see
    /// <see cref="UploadToken"/>), so that cleanup deletes only an image of this upload.</summary>
    internal const string UploadTag = "kojicomposer-upload";

    /// <summary>The blob container of the uploads.</summary>
    internal const string ContainerName = "imagebuilder";

    /// <summary>Azure's rule for managed image names (Microsoft.Compute/images).</summary>
    internal const string ImageNameRule = "1 to 80 letters, digits, '_', '.' and '-', starting with a letter or digit and ending with a letter, digit or '_'";

    private const int Steps = 3;
    private readonly TargetsOptions _options;
    private readonly ILogger<AzureImageTarget> _logger;
    private readonly AzureSdkHooks _hooks;

    /// <summary>The target configured by <c>[builder.targets.azure]</c>.</summary>
    public AzureImageTarget(TargetsOptions options, ILogger<AzureImageTarget> logger)
        : this(options, logger, AzureSdkHooks.Default)
    {
    }

    internal AzureImageTarget(TargetsOptions options, ILogger<AzureImageTarget> logger, AzureSdkHooks hooks)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _hooks = hooks ?? throw new ArgumentNullException(nameof(hooks));
    }

    /// <inheritdoc />
    public string Type => UploadTargetTypes.Azure;

    /// <inheritdoc />
    public IReadOnlyList<string> CheckConfiguration()
    {
        if (_options.Azure is not { } azure)
        {
            return []; // only azure images need it, and they say what to add
        }

        try
        {
            _ = ReadServicePrincipal(azure);
            return [];
        }
        catch (TargetFailedException e)
        {
            return [$"[builder.targets.azure] credentials: {e.Message}"];
        }
    }

    /// <inheritdoc />
    public async Task<JsonObject> UploadAsync(TargetUpload upload, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upload);
        var azure = _options.Azure ?? throw TargetFailedException.Sharing(
            "no Azure credentials: add a [builder.targets.azure] section to the builder configuration with credentials = a TOML file holding the service principal's client_id and client_secret");
        if (upload.Options is not AzureUploadOptions task)
        {
            throw TargetFailedException.Config($"the azure target got upload_options of another target ({upload.Options.GetType().Name})");
        }

        if (!Guid.TryParse(task.SubscriptionId, out _))
        {
            // ARM (and the Compute SDK before it) only takes subscription GUIDs.
            throw TargetFailedException.Config($"upload_options subscription_id must be a subscription GUID, got \"{task.SubscriptionId}\"");
        }

        var (clientId, clientSecret) = ReadServicePrincipal(azure);
        var imageName = task.ImageName ?? upload.GeneratedName;
        var blobName = imageName.EndsWith(".vhd", StringComparison.Ordinal) ? imageName : imageName + ".vhd";
        var uploadToken = UploadToken(upload.GeneratedName);
        if (!ImageNamePattern().IsMatch(imageName))
        {
            // ARM would refuse it only after the whole VHD is uploaded.
            throw new TargetFailedException(TargetFailedException.InvalidTarget,
                $"\"{imageName}\" is not a valid Azure image name: it must be {ImageNameRule}");
        }

        // The artifact first: a wrong one fails before anything is made in the cloud.
        var raw = await TargetArtifact.RawFileAsync(upload.ArtifactPath, upload.WorkDirectory, cancellationToken).ConfigureAwait(false);
        var size = VhdLayout.CheckFixedVhd(raw, upload.ExportFilename);

        var credential = CreateCredential(azure, task.TenantId, clientId, clientSecret);
        var management = _hooks.Management?.Invoke(task, credential)
            ?? new AzureResourceManager(credential, azure.ResourceManagerEndpoint, task.SubscriptionId, _hooks.Apply);

        upload.Progress.Report(new ImageProgress(0, Steps, "azure: finding the storage account"));
        var (location, account, key) = await Step(
            "cannot prepare the storage account", JobErrorCodes.UploadingImage,
            ct => PrepareStorageAsync(upload, task, management, ct), cancellationToken).ConfigureAwait(false);

        var blobs = new BlobServiceClient(
            new Uri(azure.BlobEndpoint.Replace("{account}", account, StringComparison.Ordinal)),
            new StorageSharedKeyCredential(account, key),
            BlobOptions());
        var blob = blobs.GetBlobContainerClient(ContainerName).GetPageBlobClient(blobName);
        upload.Progress.Report(new ImageProgress(1, Steps, "azure: uploading the VHD"));
        await UploadBlobAsync(upload, blob, raw, size, azure.UploadThreads, cancellationToken).ConfigureAwait(false);

        upload.Progress.Report(new ImageProgress(2, Steps, "azure: creating the image"));
        Log.AzureCreatingImage(_logger, upload.Image, imageName, task.HyperVGeneration, location);
        try
        {
            await Step(
                $"cannot create image {imageName} from {blob.Uri}", JobErrorCodes.ImportingImage,
                async ct =>
                {
                    await management.CreateImageAsync(task.ResourceGroup, new AzureImageRequest(imageName, location, blob.Uri, task.HyperVGeneration, uploadToken), ct).ConfigureAwait(false);
                    return true;
                }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException || e is TargetFailedException { IsTransient: false })
        {
            // The image this upload began (a failed one stays in the resource group; a canceled creation may still
            // finish) and the blob no image will use: gone. A transient failure keeps both for the next attempt.
            var reason = e is OperationCanceledException ? "canceled" : "the image was not created";
            await RemoveImageAsync(upload, management, task.ResourceGroup, imageName, uploadToken, reason).ConfigureAwait(false);
            await RemoveBlobAsync(upload, blob, reason).ConfigureAwait(false);
            throw;
        }

        Log.AzureImageCreated(_logger, upload.Image, imageName);
        upload.Progress.Report(new ImageProgress(Steps, Steps, "azure: done"));
        return new JsonObject { ["image_name"] = imageName };
    }

    private async Task<(string Location, string Account, string Key)> PrepareStorageAsync(
        TargetUpload upload, AzureUploadOptions task, IAzureManagement management, CancellationToken cancellationToken)
    {
        var location = task.Location ?? await management.GetResourceGroupLocationAsync(task.ResourceGroup, cancellationToken).ConfigureAwait(false);
        Log.AzureLocation(_logger, upload.Image, task.SubscriptionId, task.ResourceGroup, location);

        // Azure's location names ignore case ("EastUS" is "eastus"): so does the tag match, or each spelling a task
        // uses would get a storage account of its own.
        var tag = $"location={location}";
        var accounts = await management.ListStorageAccountsAsync(task.ResourceGroup, cancellationToken).ConfigureAwait(false);
        var account = accounts.FirstOrDefault(a => a.Tags.Any(t =>
            string.Equals(t.Key, StorageAccountTag, StringComparison.OrdinalIgnoreCase) && string.Equals(t.Value, tag, StringComparison.OrdinalIgnoreCase)))?.Name;
        if (account is not null)
        {
            Log.AzureStorageAccountFound(_logger, upload.Image, account);
        }
        else
        {
            account = await CreateStorageAccountAsync(upload, task, management, location, tag, cancellationToken).ConfigureAwait(false);
        }

        var key = await management.GetStorageAccountKeyAsync(task.ResourceGroup, account, cancellationToken).ConfigureAwait(false);
        return (location, account, key);
    }

    private async Task<string> CreateStorageAccountAsync(
        TargetUpload upload, AzureUploadOptions task, IAzureManagement management, string location, string tag, CancellationToken cancellationToken)
    {
        // Storage account names are global: a random one may be taken (409 StorageAccountAlreadyTaken), then another.
        for (var attempt = 1; ; attempt++)
        {
            var name = _hooks.StorageAccountName?.Invoke() ?? NewStorageAccountName();
            try
            {
                await management.CreateStorageAccountAsync(
                    task.ResourceGroup,
                    new AzureStorageAccount(name, location, new Dictionary<string, string>(StringComparer.Ordinal) { [StorageAccountTag] = tag }),
                    cancellationToken).ConfigureAwait(false);
                Log.AzureStorageAccountCreated(_logger, upload.Image, name, location);
                return name;
            }
            catch (RequestFailedException e) when (e.Status == 409 && attempt < 3
                && string.Equals(e.ErrorCode, "StorageAccountAlreadyTaken", StringComparison.OrdinalIgnoreCase))
            {
                Log.AzureStorageAccountNameTaken(_logger, upload.Image, name);
            }
        }
    }

    /// <summary>A tag value (32 hex digits) naming one upload: derived from its generated name, the same on every
    /// attempt of the upload and different for every other upload.</summary>
    internal static string UploadToken(string generatedName) =>
        Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(generatedName)).AsSpan(0, 16));

    private async Task RemoveImageAsync(TargetUpload upload, IAzureManagement management, string resourceGroup, string imageName, string uploadToken, string reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            if (await management.DeleteImageAsync(resourceGroup, imageName, uploadToken, timeout.Token).ConfigureAwait(false))
            {
                Log.AzureImageRemoved(_logger, upload.Image, imageName, reason);
            }
        }
        catch (Exception e) when (AzureErrors.IsAzureFailure(e, CancellationToken.None))
        {
            Log.AzureRemoveImageFailed(_logger, upload.Image, imageName, e.Message.Split('\n', 2)[0]);
        }
    }

    /// <summary>A new storage account name: <c>ib</c> and 22 random lower-case letters and digits (account names are
    /// 3 to 24 of those, unique in all of Azure).</summary>
    internal static string NewStorageAccountName() =>
        "ib" + RandomNumberGenerator.GetString("abcdefghijklmnopqrstuvwxyz0123456789", 22);

    /// <summary>Runs one step, turning the SDKs' failures into <see cref="TargetFailedException"/> with
    /// <paramref name="code"/>.</summary>
    private static async Task<T> Step<T>(string what, int code, Func<CancellationToken, Task<T>> step, CancellationToken cancellationToken)
    {
        try
        {
            return await step(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (AzureErrors.IsAzureFailure(e, cancellationToken))
        {
            throw AzureErrors.Fail(code, what, e);
        }
    }

    private static (string ClientId, string ClientSecret) ReadServicePrincipal(AzureTargetOptions azure)
    {
        try
        {
            var secrets = CredentialFiles.ReadToml(azure.Credentials, "client_id", "client_secret");
            return (secrets["client_id"], secrets["client_secret"]);
        }
        catch (CredentialFileException e)
        {
            throw TargetFailedException.Config($"the Azure credentials file cannot be used: {e.Message}");
        }
    }

    private TokenCredential CreateCredential(AzureTargetOptions azure, string tenantId, string clientId, string clientSecret)
    {
        var options = new ClientSecretCredentialOptions
        {
            AuthorityHost = azure.AuthorityHost,
            // MSAL checks an authority it does not know with the public cloud's instance discovery: a sovereign or
            // private authority (and our tests' fake) must skip that.
            DisableInstanceDiscovery = !IsKnownAuthority(azure.AuthorityHost),
        };
        _hooks.Apply(options);
        return new ClientSecretCredential(tenantId, clientId, clientSecret, options);
    }

    private static bool IsKnownAuthority(Uri authority) =>
        new[] { AzureAuthorityHosts.AzurePublicCloud, AzureAuthorityHosts.AzureChina, AzureAuthorityHosts.AzureGovernment }
            .Any(h => string.Equals(h.Host, authority.Host, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("^[A-Za-z0-9](?:[A-Za-z0-9_.-]{0,78}[A-Za-z0-9_])?$", RegexOptions.CultureInvariant)]
    private static partial Regex ImageNamePattern();

    private BlobClientOptions BlobOptions()
    {
        var options = new BlobClientOptions();
        _hooks.Apply(options);
        return options;
    }
}
