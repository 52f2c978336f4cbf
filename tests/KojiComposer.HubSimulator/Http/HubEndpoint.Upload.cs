using System.Security.Cryptography;
using KojiComposer.HubBridge.Uploads;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.State;
using Microsoft.AspNetCore.Http;

namespace KojiComposer.HubSimulator.Http;

internal sealed partial class HubEndpoint
{
    private static readonly HashSet<string> LockedFiles = new(StringComparer.Ordinal);

    /// <summary>
    /// rawUpload (koji-wire.md §8, kojihub <c>handle_upload</c>): needs a logged-in session; the destination rules
    /// of §8.4 (task directories for the owning host while the task is OPEN, other directories owned through
    /// <c>.user</c>); offset, overwrite and truncation; an exclusive lock per file; the reply's digest covers this
    /// chunk only. The call number is checked like any call's but never stored (no database write).
    /// </summary>
    private async Task HandleUploadAsync(HttpContext http)
    {
        var query = http.Request.Query;
        var name = query["filename"].FirstOrDefault() ?? string.Empty;
        var directory = query["filepath"].FirstOrDefault() ?? string.Empty;
        var verify = query["fileverify"].FirstOrDefault() ?? string.Empty;
        var offset = long.TryParse(query["offset"].FirstOrDefault(), System.Globalization.CultureInfo.InvariantCulture, out var o) ? o : 0;
        var overwrite = !string.IsNullOrEmpty(query["overwrite"].FirstOrDefault());
        var lookup = ResolveSession(http);
        object? result = null;
        HubFault? fault = null;
        string? target = null;
        try
        {
            lock (hub.State.Sync)
            {
                var session = Authorize(lookup, "rawUpload") ?? throw HubFault.NotAllowed("you must be logged-in to upload a file");
                target = ResolveUploadTarget(session, directory, name);
            }

            if (verify is not ("" or "adler32" or "md5" or "sha256"))
            {
                throw HubFault.Generic($"Unsupported verify type: {verify}");
            }

            if (hub.HoldUpload is { } hold)
            {
                await hold(new UploadRequest(directory, name, offset, http.Request.ContentLength, lookup.ClaimedId)).ConfigureAwait(false);
            }

            var breakAfter = hub.BreakUpload?.Invoke(new UploadRequest(directory, name, offset, http.Request.ContentLength, lookup.ClaimedId));
            result = await WriteUploadAsync(http, target, offset, overwrite, verify, breakAfter).ConfigureAwait(false);
            if (result is null)
            {
                return; // connection cut on purpose
            }
        }
        catch (HubFault f)
        {
            fault = f;
            // Drain the body so the client reads our answer rather than a reset.
            await http.Request.Body.CopyToAsync(Stream.Null).ConfigureAwait(false);
        }

        Record(http, "rawUpload", [], [], lookup, result, fault);
        await ReplyAsync(http, "rawUpload", result, fault).ConfigureAwait(false);
    }

    /// <summary>Checks the destination against §8.4 and returns the absolute file path. State lock held.</summary>
    private string ResolveUploadTarget(SimSession session, string directory, string name)
    {
        var normalized = string.Join('/', directory.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));
        if (normalized.Length == 0 || normalized.StartsWith("..", StringComparison.Ordinal) || directory.StartsWith('/'))
        {
            throw HubFault.Generic($"invalid upload path: {directory}");
        }

        if (name.Length == 0 || name.StartsWith('.') || name.Contains('/', StringComparison.Ordinal))
        {
            throw HubFault.Generic($"Invalid upload filename: {name}");
        }

        var absoluteDir = Path.Combine(hub.WorkDir, normalized);
        var parts = normalized.Split('/');
        if (parts[0] == "tasks")
        {
            // tasks/<id % 10000>/<id>[/...]: only the host that owns the OPEN task (Task.assertHost).
            if (parts.Length < 3 || !long.TryParse(parts[2], System.Globalization.CultureInfo.InvariantCulture, out var taskId))
            {
                throw HubFault.Generic($"invalid upload path: {directory}");
            }

            var user = hub.State.Users[session.UserId];
            var host = hub.State.HostOfUser(user.Id) ?? throw HubFault.Auth($"User {user.Id} is not a host");
            if (!session.Exclusive)
            {
                throw HubFault.Auth("This method requires an exclusive session");
            }

            if (!hub.State.Tasks.TryGetValue(taskId, out var task) || task.HostId != host.Id || task.State != TaskState.Open)
            {
                throw HubFault.NotAllowed($"host {host.Id} does not own task {taskId}");
            }

            Directory.CreateDirectory(absoluteDir);
        }
        else
        {
            // Any other directory belongs to its first uploader, recorded in <dir>/.user.
            Directory.CreateDirectory(absoluteDir);
            var owner = Path.Combine(absoluteDir, ".user");
            if (File.Exists(owner))
            {
                if (!string.Equals(File.ReadAllText(owner).Trim(), HubEndpoint.Format(session.UserId), StringComparison.Ordinal))
                {
                    throw HubFault.Generic($"Invalid upload directory, not owner: {normalized}");
                }
            }
            else
            {
                File.WriteAllText(owner, HubEndpoint.Format(session.UserId));
            }
        }

        var target = Path.Combine(absoluteDir, name);
        var info = new FileInfo(target);
        if (info.LinkTarget is not null)
        {
            throw HubFault.Generic($"destination is a symlink: {target}");
        }

        if (Directory.Exists(target))
        {
            throw HubFault.Generic("destination not a file");
        }

        return target;
    }

    private async Task<XmlRpcStruct?> WriteUploadAsync(HttpContext http, string target, long offset, bool overwrite, string verify, long? breakAfter)
    {
        lock (LockedFiles)
        {
            if (!LockedFiles.Add(target))
            {
                throw new HubFault(1001, $"Unable to get lock on {target}");
            }
        }

        byte[]? buffer = null;
        try
        {
            if (File.Exists(target) && offset == 0 && !overwrite)
            {
                throw HubFault.Generic($"upload path exists: {target}");
            }

            await using var file = new FileStream(target, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 0, FileOptions.Asynchronous);
            if (offset == -1)
            {
                offset = file.Length;
            }
            else if (overwrite)
            {
                file.SetLength(offset);
            }

            file.Position = offset;
            using var md5 = verify == "md5" ? IncrementalHash.CreateHash(HashAlgorithmName.MD5) : null;
            using var sha = verify == "sha256" ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
            var adler = 1u;
            long size = 0;
            buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(1 << 20); // not one large-object allocation per chunk
            int read;
            // Whole 1 MiB pieces: one write and one digest call each, not one per network segment.
            while ((read = await http.Request.Body.ReadAtLeastAsync(buffer, buffer.Length, throwOnEndOfStream: false).ConfigureAwait(false)) > 0)
            {
                if (breakAfter is { } limit && size + read >= limit)
                {
                    var keep = (int)Math.Max(0, limit - size);
                    await file.WriteAsync(buffer.AsMemory(0, keep)).ConfigureAwait(false);
                    await file.FlushAsync().ConfigureAwait(false);
                    http.Abort();
                    if (hub.LockHeldAfterBreak > TimeSpan.Zero)
                    {
                        await Task.Delay(hub.LockHeldAfterBreak).ConfigureAwait(false);
                    }

                    return null;
                }

                await file.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                switch (verify)
                {
                    case "adler32":
                        adler = Adler32.Update(adler, buffer.AsSpan(0, read));
                        break;
                    case "md5":
                        md5!.AppendData(buffer, 0, read);
                        break;
                    case "sha256":
                        sha!.AppendData(buffer, 0, read);
                        break;
                }

                size += read;
            }

            if (!overwrite && file.Length != offset + size)
            {
                throw HubFault.Generic($"Incorrect upload length for {target} - expected {offset + size}, actual {file.Length}");
            }

            var reply = new XmlRpcStruct { ["size"] = size, ["fileverify"] = verify, ["offset"] = offset };
            reply["hexdigest"] = verify switch
            {
                "adler32" => Adler32.ToHex(adler),
                "md5" => Convert.ToHexStringLower(md5!.GetHashAndReset()),
                "sha256" => Convert.ToHexStringLower(sha!.GetHashAndReset()),
                _ => null,
            };
            return reply;
        }
        finally
        {
            if (buffer is not null)
            {
                System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
            }

            lock (LockedFiles)
            {
                LockedFiles.Remove(target);
            }
        }
    }
}
