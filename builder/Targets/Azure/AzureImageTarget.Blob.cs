using System.Buffers;
using System.Security.Cryptography;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Targets.Azure;

/// <summary>Step 4: the page blob upload, resumable (cloud-targets.md §4).</summary>
public sealed partial class AzureImageTarget
{
    /// <summary>Blob metadata naming the content the blob is being filled with (the VHD's MD5, hex): a later attempt
    /// of the same upload resumes a blob that has it and the same size; any other blob of that name is replaced.</summary>
    internal const string MarkerMetadata = "kojicomposer_md5";

    private async Task UploadBlobAsync(TargetUpload upload, PageBlobClient blob, string path, long size, int threads, CancellationToken cancellationToken)
    {
        upload.Progress.Report(new ImageProgress(1, Steps, "azure: reading the VHD"));
        VhdLayout layout;
        try
        {
            layout = await VhdLayout.ScanAsync(path, size, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            throw TargetFailedException.Upload($"cannot read {upload.ExportFilename}: {e.Message}", inner: e);
        }

        var marker = Convert.ToHexStringLower(layout.Md5);
        var ours = false;
        try
        {
            await Step($"cannot upload page blob {blob.Name} to storage account {blob.AccountName}", JobErrorCodes.UploadingImage, async ct =>
            {
                await blob.GetParentBlobContainerClient().CreateIfNotExistsAsync(cancellationToken: ct).ConfigureAwait(false);
                var existing = await ExistingPagesAsync(blob, layout, marker, ct).ConfigureAwait(false);
                ours = true;
                if (existing is { Complete: true })
                {
                    Log.AzureBlobComplete(_logger, upload.Image, blob.Name);
                    return true;
                }

                var todo = layout.DataPages;
                if (existing is null)
                {
                    await blob.CreateAsync(size, new PageBlobCreateOptions
                    {
                        Metadata = new Dictionary<string, string>(StringComparer.Ordinal) { [MarkerMetadata] = marker },
                        HttpHeaders = new BlobHttpHeaders { ContentType = "application/octet-stream" },
                    }, ct).ConfigureAwait(false);
                    Log.AzureUploading(_logger, upload.Image, size, blob.Name, layout.DataPages.Count, layout.Pages, threads);
                }
                else
                {
                    todo = [.. layout.DataPages.Where(offset => !existing.Covers(offset, layout.LengthAt(offset)))];
                    Log.AzureResuming(_logger, upload.Image, blob.Name, layout.DataPages.Count - todo.Count, layout.DataPages.Count);
                }

                var sent = await UploadPagesAsync(upload, blob, path, layout, todo, threads, ct).ConfigureAwait(false);
                Log.AzureUploaded(_logger, upload.Image, sent, blob.Name);

                // The whole file's MD5 last: it also tells a later attempt that nothing is missing.
                await blob.SetHttpHeadersAsync(new BlobHttpHeaders { ContentType = "application/octet-stream", ContentHash = layout.Md5 }, cancellationToken: ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (ours && (e is OperationCanceledException || e is TargetFailedException { IsTransient: false }))
        {
            // Canceled or failed for good: no half blob stays behind. A transient failure keeps it for the next attempt.
            await RemoveBlobAsync(upload, blob, e is OperationCanceledException ? "canceled" : "the upload failed").ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Sends the pages at <paramref name="offsets"/>, <paramref name="threads"/> at a time, each with its MD5
    /// (the service checks it); returns how many were sent.</summary>
    private static async Task<int> UploadPagesAsync(
        TargetUpload upload, PageBlobClient blob, string path, VhdLayout layout, IReadOnlyList<long> offsets, int threads, CancellationToken cancellationToken)
    {
        var sent = 0;
        var before = layout.DataPages.Count - offsets.Count;
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(offsets, parallel, async (offset, ct) =>
        {
            var length = layout.LengthAt(offset);
            var buffer = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                for (var read = 0; read < length;)
                {
                    var n = await RandomAccess.ReadAsync(handle, buffer.AsMemory(read, length - read), offset + read, ct).ConfigureAwait(false);
                    read += n > 0 ? n : throw new IOException($"{path} became shorter while it was being uploaded");
                }

                using var content = new MemoryStream(buffer, 0, length, writable: false);
                var options = new PageBlobUploadPagesOptions
                {
                    TransferValidation = new UploadTransferValidationOptions
                    {
                        ChecksumAlgorithm = StorageChecksumAlgorithm.MD5,
                        PrecalculatedChecksum = MD5.HashData(buffer.AsSpan(0, length)),
                    },
                };
                await blob.UploadPagesAsync(content, offset, options, ct).ConfigureAwait(false);
                var done = Interlocked.Increment(ref sent);
                upload.Progress.Report(new ImageProgress(1, Steps, "azure: uploading the VHD", before + done, layout.DataPages.Count));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }).ConfigureAwait(false);
        return sent;
    }

    /// <summary>What an earlier attempt left in the blob, or null when the blob is absent or not of this content.</summary>
    private static async Task<WrittenPages?> ExistingPagesAsync(PageBlobClient blob, VhdLayout layout, string marker, CancellationToken cancellationToken)
    {
        BlobProperties properties;
        try
        {
            properties = (await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }

        if (properties.BlobType != BlobType.Page || properties.ContentLength != layout.Size
            || !properties.Metadata.Any(m => string.Equals(m.Key, MarkerMetadata, StringComparison.OrdinalIgnoreCase) && string.Equals(m.Value, marker, StringComparison.Ordinal)))
        {
            return null;
        }

        if (properties.ContentHash is { } hash && hash.AsSpan().SequenceEqual(layout.Md5))
        {
            return new WrittenPages([], Complete: true);
        }

        var ranges = new List<(long Start, long End)>();
        await foreach (var item in blob.GetAllPageRangesAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (!item.IsClear && item.Range.Length is { } length)
            {
                ranges.Add((item.Range.Offset, item.Range.Offset + length));
            }
        }

        return new WrittenPages(Merge(ranges), Complete: false);
    }

    private static List<(long Start, long End)> Merge(List<(long Start, long End)> ranges)
    {
        ranges.Sort();
        var merged = new List<(long Start, long End)>();
        foreach (var range in ranges)
        {
            if (merged.Count > 0 && range.Start <= merged[^1].End)
            {
                merged[^1] = (merged[^1].Start, Math.Max(merged[^1].End, range.End));
            }
            else
            {
                merged.Add(range);
            }
        }

        return merged;
    }

    private async Task RemoveBlobAsync(TargetUpload upload, PageBlobClient blob, string reason)
    {
        Log.AzureRemovingBlob(_logger, upload.Image, blob.Name, reason);
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            await blob.DeleteIfExistsAsync(cancellationToken: timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (AzureErrors.IsAzureFailure(e, CancellationToken.None))
        {
            Log.AzureRemoveBlobFailed(_logger, upload.Image, blob.Name, e.Message.Split('\n', 2)[0]);
        }
    }

    /// <summary>The written ranges of a blob, merged and sorted.</summary>
    private sealed record WrittenPages(List<(long Start, long End)> Ranges, bool Complete)
    {
        public bool Covers(long offset, int length)
        {
            var i = Ranges.BinarySearch((offset, long.MaxValue));
            i = i < 0 ? ~i - 1 : i;
            return i >= 0 && Ranges[i].Start <= offset && Ranges[i].End >= offset + length;
        }
    }
}
