using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder;

// Event ids 5340–5359: the azure target (builder/Targets/Azure). Never a client secret, account key or token.
internal static partial class Log
{
    [LoggerMessage(5340, LogLevel.Information, "{Image}: azure: subscription {Subscription}, resource group {ResourceGroup}, location {Location}")]
    public static partial void AzureLocation(ILogger logger, string image, string subscription, string resourceGroup, string location);

    [LoggerMessage(5341, LogLevel.Information, "{Image}: azure: using storage account {Account}")]
    public static partial void AzureStorageAccountFound(ILogger logger, string image, string account);

    [LoggerMessage(5342, LogLevel.Information, "{Image}: azure: created storage account {Account} in {Location}")]
    public static partial void AzureStorageAccountCreated(ILogger logger, string image, string account, string location);

    [LoggerMessage(5343, LogLevel.Information, "{Image}: azure: storage account name {Account} is taken, trying another")]
    public static partial void AzureStorageAccountNameTaken(ILogger logger, string image, string account);

    [LoggerMessage(5344, LogLevel.Information, "{Image}: azure: uploading {Size} bytes to page blob {Blob}: {DataPages} of {Pages} pages hold data, {Threads} in parallel")]
    public static partial void AzureUploading(ILogger logger, string image, long size, string blob, int dataPages, int pages, int threads);

    [LoggerMessage(5345, LogLevel.Information, "{Image}: azure: resuming page blob {Blob}: {Written} of {DataPages} data pages are there already")]
    public static partial void AzureResuming(ILogger logger, string image, string blob, int written, int dataPages);

    [LoggerMessage(5346, LogLevel.Information, "{Image}: azure: page blob {Blob} is complete already (its Content-MD5 matches)")]
    public static partial void AzureBlobComplete(ILogger logger, string image, string blob);

    [LoggerMessage(5347, LogLevel.Information, "{Image}: azure: uploaded {Sent} pages to {Blob}")]
    public static partial void AzureUploaded(ILogger logger, string image, int sent, string blob);

    [LoggerMessage(5348, LogLevel.Information, "{Image}: azure: creating managed image {Name} (Hyper-V generation {Generation}) in {Location}")]
    public static partial void AzureCreatingImage(ILogger logger, string image, string name, string generation, string location);

    [LoggerMessage(5349, LogLevel.Information, "{Image}: azure: managed image {Name} created")]
    public static partial void AzureImageCreated(ILogger logger, string image, string name);

    [LoggerMessage(5350, LogLevel.Warning, "{Image}: azure: removing page blob {Blob} ({Reason})")]
    public static partial void AzureRemovingBlob(ILogger logger, string image, string blob, string reason);

    [LoggerMessage(5351, LogLevel.Warning, "{Image}: azure: cannot remove page blob {Blob}: {Reason}")]
    public static partial void AzureRemoveBlobFailed(ILogger logger, string image, string blob, string reason);

    [LoggerMessage(5352, LogLevel.Warning, "{Image}: azure: removed managed image {Name} ({Reason})")]
    public static partial void AzureImageRemoved(ILogger logger, string image, string name, string reason);

    [LoggerMessage(5353, LogLevel.Warning, "{Image}: azure: cannot remove managed image {Name}: {Reason}")]
    public static partial void AzureRemoveImageFailed(ILogger logger, string image, string name, string reason);
}
