using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Faults;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubBridge.Sessions;

/// <summary>The read calls the builder and CLI use (koji-wire.md §10); anonymous or in a session.</summary>
public abstract partial class KojiCaller
{
    private static KojiKeywordArguments Kw(params ReadOnlySpan<(string Name, object? Value)> values) => KojiKeywordArguments.Of(values);

    public async Task<KojiUser?> GetLoggedInUserAsync(CancellationToken cancellationToken = default) =>
        await ReadAsync("getLoggedInUser", cancellationToken).ConfigureAwait(false) is { } user ? KojiUser.From(user) : null;

    /// <summary>getUser(id or name): the user, or null when there is none.</summary>
    public async Task<KojiUser?> GetUserAsync(object user, CancellationToken cancellationToken = default) =>
        await ReadAsync("getUser", cancellationToken, user).ConfigureAwait(false) is { } found ? KojiUser.From(found) : null;

    public async Task<int> GetApiVersionAsync(CancellationToken cancellationToken = default) =>
        Values.Int(await ReadAsync("getAPIVersion", cancellationToken).ConfigureAwait(false), "getAPIVersion");

    public async Task<string> GetKojiVersionAsync(CancellationToken cancellationToken = default) =>
        Values.String(await ReadAsync("getKojiVersion", cancellationToken).ConfigureAwait(false), "getKojiVersion");

    public async Task<object?[]> EchoAsync(CancellationToken cancellationToken, params object?[] args) =>
        Values.Array(await ReadAsync("echo", cancellationToken, args).ConfigureAwait(false), "echo");

    /// <summary>getBuildTarget(name, strict=True): unknown targets fail with the hub's <c>No such build target: x</c>.</summary>
    public async Task<KojiBuildTarget?> GetBuildTargetAsync(string target, bool strict = false, CancellationToken cancellationToken = default)
    {
        var reply = strict
            ? await ReadAsync("getBuildTarget", cancellationToken, target, Kw(("strict", true))).ConfigureAwait(false)
            : await ReadAsync("getBuildTarget", cancellationToken, target).ConfigureAwait(false);
        return reply is null ? null : KojiBuildTarget.From(reply);
    }

    /// <summary>getBuildConfig(tag): the tag with inherited <c>arches</c> and <c>extra</c>.</summary>
    public async Task<KojiTagInfo> GetBuildConfigAsync(object tag, CancellationToken cancellationToken = default) =>
        KojiTagInfo.From(await ReadAsync("getBuildConfig", cancellationToken, tag).ConfigureAwait(false), "getBuildConfig");

    public async Task<KojiTagInfo?> GetTagAsync(object tag, bool strict = false, CancellationToken cancellationToken = default)
    {
        var reply = strict
            ? await ReadAsync("getTag", cancellationToken, tag, Kw(("strict", true))).ConfigureAwait(false)
            : await ReadAsync("getTag", cancellationToken, tag).ConfigureAwait(false);
        return reply is null ? null : KojiTagInfo.From(reply, "getTag");
    }

    /// <summary>getRepo(tag): the newest READY repo of a tag, or null.</summary>
    public async Task<KojiRepoInfo?> GetRepoAsync(object tag, CancellationToken cancellationToken = default) =>
        await ReadAsync("getRepo", cancellationToken, tag).ConfigureAwait(false) is { } repo ? KojiRepoInfo.From(repo, "getRepo") : null;

    /// <summary>
    /// The build tag's current repo: <c>repo.request(tag)</c> on hubs that have it (koji ≥ 1.35, what kojid uses),
    /// <c>getRepo(tag)</c> on older ones (whose dispatcher answers <c>Invalid method</c>).
    /// </summary>
    public async Task<KojiRepoInfo?> GetCurrentRepoAsync(object tag, CancellationToken cancellationToken = default)
    {
        if (!HasSession)
        {
            // repo.request needs a login (it queues a request when the repo is not current).
            return await GetRepoAsync(tag, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            // A write (it may queue a repo request); the hub deduplicates requests, so asking again is the check.
            var call = KojiCall.Write("repo.request", tag);
            call = call with { IfAlreadyCommitted = ct => CallAsync(KojiCall.Write("repo.request", tag), ct) };
            var reply = Values.Struct(await CallAsync(call, cancellationToken).ConfigureAwait(false), "repo.request");
            return Values.Member(reply, "repo") is { } repo ? KojiRepoInfo.From(repo, "repo.request repo") : null;
        }
        catch (KojiGenericErrorFault fault) when (fault.FaultString.StartsWith("Invalid method", StringComparison.Ordinal))
        {
            return await GetRepoAsync(tag, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>getNextRelease({name, version}).</summary>
    public async Task<string> GetNextReleaseAsync(string name, string version, CancellationToken cancellationToken = default) =>
        Values.String(await ReadAsync("getNextRelease", cancellationToken, new XmlRpcStruct { ["name"] = name, ["version"] = version }).ConfigureAwait(false), "getNextRelease");

    /// <summary>getTaskInfo(id, request=True|False); null for an unknown task.</summary>
    public async Task<KojiTaskInfo?> GetTaskInfoAsync(long taskId, bool request = false, CancellationToken cancellationToken = default)
    {
        var reply = request
            ? await ReadAsync("getTaskInfo", cancellationToken, taskId, Kw(("request", true))).ConfigureAwait(false)
            : await ReadAsync("getTaskInfo", cancellationToken, taskId).ConfigureAwait(false);
        return reply is null ? null : KojiTaskInfo.From(reply, "getTaskInfo");
    }

    public async Task<object?[]> GetTaskRequestAsync(long taskId, CancellationToken cancellationToken = default) =>
        Values.Array(await ReadAsync("getTaskRequest", cancellationToken, taskId).ConfigureAwait(false), "getTaskRequest");

    public async Task<IReadOnlyList<string>> ListTaskOutputAsync(long taskId, CancellationToken cancellationToken = default) =>
        Values.Array(await ReadAsync("listTaskOutput", cancellationToken, taskId).ConfigureAwait(false), "listTaskOutput").OfType<string>().ToArray();

    /// <summary>getTaskResult(id): the stored result; a failed task's fault is raised as its typed exception.</summary>
    public Task<object?> GetTaskResultAsync(long taskId, CancellationToken cancellationToken = default) =>
        ReadAsync("getTaskResult", cancellationToken, taskId);

    /// <summary>getBuild(id | "N-V-R" | {name, version, release}).</summary>
    public async Task<KojiBuildInfo?> GetBuildAsync(object build, bool strict = false, CancellationToken cancellationToken = default)
    {
        var reply = strict
            ? await ReadAsync("getBuild", cancellationToken, build, Kw(("strict", true))).ConfigureAwait(false)
            : await ReadAsync("getBuild", cancellationToken, build).ConfigureAwait(false);
        return reply is null ? null : KojiBuildInfo.From(reply, "getBuild");
    }

    /// <summary>listArchives(buildID=id).</summary>
    public async Task<IReadOnlyList<KojiArchiveInfo>> ListArchivesAsync(long buildId, CancellationToken cancellationToken = default) =>
        Values.Array(await ReadAsync("listArchives", cancellationToken, Kw(("buildID", buildId))).ConfigureAwait(false), "listArchives")
            .Select(KojiArchiveInfo.From).ToArray();

    /// <summary>getArchiveType(filename=…): the hub's archive type for a file name, or null (cg-import.md §6.3).</summary>
    public async Task<string?> GetArchiveTypeNameAsync(string filename, CancellationToken cancellationToken = default) =>
        await ReadAsync("getArchiveType", cancellationToken, Kw(("filename", filename))).ConfigureAwait(false) is XmlRpcStruct type
            ? Values.StringOrNull(Values.Member(type, "name"), "getArchiveType name")
            : null;

    /// <summary>checkUpload(path, name, verify): size and mtime of an uploaded file (and a digest), or null.</summary>
    public async Task<KojiUploadCheck?> CheckUploadAsync(string directory, string name, string? verify = null, CancellationToken cancellationToken = default)
    {
        var reply = verify is null
            ? await ReadAsync("checkUpload", cancellationToken, directory, name).ConfigureAwait(false)
            : await ReadAsync("checkUpload", cancellationToken, directory, name, verify).ConfigureAwait(false);
        if (reply is null)
        {
            return null;
        }

        var s = Values.Struct(reply, "checkUpload");
        return new KojiUploadCheck(
            Values.Long(Values.Required(s, "size", "checkUpload"), "checkUpload size"),
            Values.DoubleOrNull(Values.Member(s, "mtime"), "checkUpload mtime") ?? 0,
            Values.StringOrNull(Values.Member(s, "hexdigest"), "checkUpload hexdigest"));
    }

    /// <summary>
    /// multiCall of reads: one round trip; each entry's result, or its fault as the typed exception (not thrown).
    /// </summary>
    public async Task<IReadOnlyList<MultiCallResult>> MultiCallAsync(IReadOnlyList<(string Method, object?[] Args)> calls, CancellationToken cancellationToken = default)
    {
        var reply = await ReadAsync("multiCall", cancellationToken, XmlRpcMultiCall.Encode(calls.Select(c => new XmlRpcMethodCall(c.Method, c.Args)))).ConfigureAwait(false);
        return XmlRpcMultiCall.Decode(reply);
    }
}
