using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Transport;
using KojiComposer.HubBridge.Uploads;

namespace KojiComposer.HubBridge.Sessions;

public sealed partial class KojiSession
{
    /// <summary>
    /// Streams a file into a hub directory (koji-wire.md §8): chunks of <see cref="KojiHubOptions.UploadChunkBytes"/>,
    /// each checked against the hub's size and adler32 reply and re-sent at the same offset when it does not match;
    /// md5 and sha256 of the whole file from the same single read. The next chunk is read while the current one is
    /// on the wire, so memory stays at two chunks whatever the file size.
    /// </summary>
    /// <param name="resumeAt">Bytes already on the hub and verified (from <see cref="KojiUploadException.VerifiedBytes"/>);
    /// they are re-read locally for the digests, not re-sent.</param>
    /// <exception cref="ArgumentException">The destination is not one the hub accepts.</exception>
    /// <exception cref="KojiUploadException">The upload stopped; says how far it got.</exception>
    public async Task<KojiUploadResult> UploadFileAsync(
        string localPath, string directory, string? name = null, long resumeAt = 0, IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        name ??= Path.GetFileName(localPath);
        KojiPaths.ValidateUploadDestination(directory, name);
        var file = new FileStream(localPath, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            BufferSize = 0, // we read whole chunks; a FileStream buffer would only copy them once more
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
        await using (file.ConfigureAwait(false))
        {
            return await UploadAsync(file, directory, name, resumeAt, progress, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Attaches bytes to a task as <c>tasks/&lt;id % 10000&gt;/&lt;id&gt;/&lt;name&gt;</c> (koji-wire.md §8.4), replacing an
    /// earlier file of that name: the hub allows it from the host session while the task is OPEN and ours.
    /// </summary>
    public Task<KojiUploadResult> UploadTaskOutputAsync(long taskId, string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        var stream = new MemoryStream(content.ToArray(), writable: false);
        return UploadAsync(stream, KojiPaths.TaskOutputDirectory(taskId), name, cancellationToken: cancellationToken);
    }

    /// <summary>Streams <paramref name="source"/> (read from its start) into a hub directory; see <see cref="UploadFileAsync"/>.</summary>
    public async Task<KojiUploadResult> UploadAsync(
        Stream source, string directory, string name, long resumeAt = 0, IProgress<long>? progress = null,
        CancellationToken cancellationToken = default)
    {
        KojiPaths.ValidateUploadDestination(directory, name);
        var chunkSize = _http.Options.UploadChunkBytes;
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var current = ArrayPool<byte>.Shared.Rent(chunkSize);
        var next = ArrayPool<byte>.Shared.Rent(chunkSize);
        long offset = 0;
        var chunks = 0;
        var resent = 0;
        Task reading = Task.CompletedTask;
        try
        {
            // Bytes the hub already has: digest them, do not send them again.
            while (offset < resumeAt)
            {
                var want = (int)Math.Min(chunkSize, resumeAt - offset);
                var got = await source.ReadAtLeastAsync(current.AsMemory(0, want), want, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                if (got == 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(resumeAt), $"cannot resume {name} at byte {resumeAt}: the source has only {offset} bytes");
                }

                md5.AppendData(current, 0, got);
                sha256.AppendData(current, 0, got);
                offset += got;
            }

            var (length, adler) = await ReadChunkAsync(source, current, chunkSize, md5, sha256, cancellationToken).ConfigureAwait(false);
            while (true)
            {
                var last = length < chunkSize;
                var nextRead = last ? Task.FromResult((0, 1u)) : ReadChunkAsync(source, next, chunkSize, md5, sha256, cancellationToken);
                reading = nextRead;
                if (length > 0 || chunks == 0)
                {
                    try
                    {
                        resent += await SendChunkAsync(directory, name, offset, current.AsMemory(0, length), adler, cancellationToken).ConfigureAwait(false);
                    }
                    catch (KojiException e)
                    {
                        await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                        throw new KojiUploadException(
                            _http.Describe("rawUpload", $"upload of {directory}/{name} stopped at byte {offset} ({offset} bytes verified on the hub): {e.Message}"),
                            offset, e);
                    }

                    chunks++;
                    offset += length;
                    progress?.Report(offset);
                }

                var (nextLength, nextAdler) = await nextRead.ConfigureAwait(false);
                if (last || (nextLength == 0 && chunks > 0))
                {
                    break;
                }

                (current, next) = (next, current);
                (length, adler) = (nextLength, nextAdler);
            }

            Log.Uploaded(_logger, _http.Hub, directory, name, offset, chunks);
            return new KojiUploadResult(directory, name, offset,
                Convert.ToHexStringLower(md5.GetHashAndReset()), Convert.ToHexStringLower(sha256.GetHashAndReset()), chunks, resent);
        }
        finally
        {
            // Whatever went wrong, the read of the next chunk must be over before its buffer and digests go.
            await reading.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            ArrayPool<byte>.Shared.Return(current);
            ArrayPool<byte>.Shared.Return(next);
        }
    }

    /// <summary>
    /// Reads the next chunk and digests it: md5 on one core, sha256 and the chunk's adler32 on another, while the
    /// previous chunk is on the wire. The three digests are the whole CPU cost of an upload.
    /// </summary>
    private static async Task<(int Length, uint Adler)> ReadChunkAsync(
        Stream source, byte[] buffer, int chunkSize, IncrementalHash md5, IncrementalHash sha256, CancellationToken cancellationToken)
    {
        var length = await source.ReadAtLeastAsync(buffer.AsMemory(0, chunkSize), chunkSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
        var adler = 1u;
        var other = Task.Run(() =>
        {
            sha256.AppendData(buffer, 0, length);
            adler = Adler32.Compute(buffer.AsSpan(0, length));
        }, cancellationToken);
        md5.AppendData(buffer, 0, length);
        await other.ConfigureAwait(false);
        return (length, adler);
    }

    /// <summary>
    /// Sends one chunk until the hub's reply verifies it; returns how many times it was re-sent (after a dropped
    /// connection or a reply that did not verify).
    /// </summary>
    private async Task<int> SendChunkAsync(string directory, string name, long offset, ReadOnlyMemory<byte> chunk, uint adler, CancellationToken cancellationToken)
    {
        var expected = Adler32.ToHex(adler);
        var query = string.Join('&',
            "filename=" + Uri.EscapeDataString(name),
            "filepath=" + Uri.EscapeDataString(directory),
            "fileverify=adler32",
            "offset=" + offset.ToString(CultureInfo.InvariantCulture),
            "overwrite=1");
        var call = new KojiCall("rawUpload", [], KojiCallKind.Upload);
        var resends = 0;
        for (var attempt = 1; ; attempt++)
        {
            object? reply;
            await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                reply = await RetryLoop.RunAsync(_policy, _logger, _time, _http.Hub, call, _steps,
                    (n, ct) => _http.UploadAsync(query, chunk, Current, n!.Value, ct), cancellationToken, () => resends++).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }

            var problem = CheckChunkReply(reply, offset, chunk.Length, expected);
            if (problem is null)
            {
                return resends + attempt - 1;
            }

            if (attempt >= _policy.MaxAttempts)
            {
                throw new KojiProtocolException(_http.Describe("rawUpload", $"chunk at offset {offset} of {directory}/{name} never verified: {problem}"));
            }

            Log.ChunkNotVerified(_logger, _http.Hub, directory, name, offset, problem);
        }
    }

    private static string? CheckChunkReply(object? reply, long offset, int length, string expectedAdler)
    {
        const string What = "rawUpload";
        var s = Values.Struct(reply, What);
        var size = Values.Long(Values.Required(s, "size", What), What + " size");
        var digest = Values.StringOrNull(Values.Member(s, "hexdigest"), What + " hexdigest");
        var at = Values.Member(s, "offset") is { } o ? Values.Long(o, What + " offset") : offset;
        if (size != length)
        {
            return $"the hub received {size} bytes of {length}";
        }

        if (at != offset)
        {
            return $"the hub wrote at offset {at}, not {offset}";
        }

        if (!string.Equals(digest, expectedAdler, StringComparison.Ordinal))
        {
            return $"adler32 {digest ?? "missing"} from the hub, {expectedAdler} sent";
        }

        return null;
    }
}
