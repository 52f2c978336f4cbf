using System.Globalization;
using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Transport;

namespace KojiComposer.HubBridge.Sessions;

/// <summary>Reading a task's output files (koji-wire.md §8.5): what is there, and the bytes of one. Both are
/// anonymous reads, so <c>kojicomposer watch</c> can follow a task's compose-status.json without logging in.</summary>
public abstract partial class KojiCaller
{
    /// <summary>listTaskOutput(taskID, stat=True): every output file with its size and modification time, by name.
    /// An unknown task has no files (the hub does not check unless asked to be strict).</summary>
    public async Task<IReadOnlyDictionary<string, KojiTaskOutputFile>> ListTaskOutputFilesAsync(long taskId, CancellationToken cancellationToken = default)
    {
        const string what = "listTaskOutput";
        var reply = await ReadAsync(what, cancellationToken, taskId, Kw(("stat", true))).ConfigureAwait(false);
        var files = new Dictionary<string, KojiTaskOutputFile>(StringComparer.Ordinal);
        foreach (var (name, value) in Values.Struct(reply, what))
        {
            var stat = Values.Struct(value, $"{what} {name}");
            files[name] = new KojiTaskOutputFile(
                name,
                Size(Values.Member(stat, "st_size"), $"{what} {name} st_size"),
                Values.DoubleOrNull(Values.Member(stat, "st_mtime"), $"{what} {name} st_mtime") ?? 0);
        }

        return files;
    }

    /// <summary>
    /// downloadTaskOutput(taskID, fileName, offset=0, size=-1): the file's bytes from <paramref name="offset"/> (a
    /// negative one counts from the end), at most <paramref name="size"/> of them (-1: to the end). The hub sends
    /// them base64-encoded in a string.
    /// </summary>
    /// <exception cref="Faults.KojiGenericErrorFault">The task has no such file (<c>no file "x" output by task
    /// N</c>).</exception>
    public async Task<byte[]> DownloadTaskOutputAsync(long taskId, string fileName, long offset = 0, long size = -1, CancellationToken cancellationToken = default)
    {
        const string what = "downloadTaskOutput";
        var reply = offset == 0 && size < 0
            ? await ReadAsync(what, cancellationToken, taskId, fileName).ConfigureAwait(false)
            : await ReadAsync(what, cancellationToken, taskId, fileName, Kw(("offset", offset), ("size", size))).ConfigureAwait(false);
        return reply switch
        {
            byte[] bytes => bytes,
            string text => Decode(text, what),
            _ => throw new KojiProtocolException($"{what}: expected base64 text in the hub's reply, got {(reply is null ? "nil" : reply.GetType().Name)}"),
        };
    }

    private static byte[] Decode(string text, string what)
    {
        try
        {
            return Convert.FromBase64String(text);
        }
        catch (FormatException e)
        {
            throw new KojiProtocolException($"{what}: the hub's reply is not base64 ({e.Message})");
        }
    }

    private static long Size(object? value, string what) => value switch
    {
        string text when long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) => n,
        null => 0,
        _ => Values.Long(value, what),
    };
}
