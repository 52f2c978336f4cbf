namespace KojiComposer.Builder.Targets.Azure;

/// <summary>
/// The Azure Resource Manager calls of the <c>azure</c> target (cloud-targets.md §4, steps 1–3 and 5), so tests can
/// put a fake in their place. <see cref="AzureResourceManager"/> is the real one. Failures are thrown as the SDK
/// throws them (<see cref="global::Azure.RequestFailedException"/> with ARM's status, error code and message,
/// <see cref="global::Azure.Identity.AuthenticationFailedException"/>); the target turns them into error codes.
/// </summary>
internal interface IAzureManagement
{
    /// <summary>The location of the resource group, e.g. <c>eastus</c> (step 1 when the task names none).</summary>
    Task<string> GetResourceGroupLocationAsync(string resourceGroup, CancellationToken cancellationToken);

    /// <summary>The storage accounts of the resource group with their location and tags (step 2).</summary>
    Task<IReadOnlyList<AzureStorageAccount>> ListStorageAccountsAsync(string resourceGroup, CancellationToken cancellationToken);

    /// <summary>Creates a Standard_LRS StorageV2 account and waits until it is provisioned (step 2).</summary>
    Task CreateStorageAccountAsync(string resourceGroup, AzureStorageAccount account, CancellationToken cancellationToken);

    /// <summary>A key of the storage account (step 3). It is a secret: never logged.</summary>
    Task<string> GetStorageAccountKeyAsync(string resourceGroup, string accountName, CancellationToken cancellationToken);

    /// <summary>Creates (or updates) the managed image from a page blob and waits for the operation (step 5).</summary>
    Task CreateImageAsync(string resourceGroup, AzureImageRequest image, CancellationToken cancellationToken);

    /// <summary>Deletes the managed image <paramref name="name"/> and waits for that, but only when it carries the tag
    /// <see cref="AzureImageTarget.UploadTag"/> = <paramref name="uploadToken"/> (made by this upload): an image of
    /// that name made by anything else is left alone. False when there was no such image.</summary>
    Task<bool> DeleteImageAsync(string resourceGroup, string name, string uploadToken, CancellationToken cancellationToken);
}

/// <summary>A storage account as ARM lists it.</summary>
internal sealed record AzureStorageAccount(string Name, string Location, IReadOnlyDictionary<string, string> Tags);

/// <summary>A managed image to create: Linux, generalized, from <paramref name="BlobUri"/>, tagged with
/// <see cref="AzureImageTarget.UploadTag"/> = <paramref name="UploadToken"/>.</summary>
internal sealed record AzureImageRequest(string Name, string Location, Uri BlobUri, string HyperVGeneration, string UploadToken);
