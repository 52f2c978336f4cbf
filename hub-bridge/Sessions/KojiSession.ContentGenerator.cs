using KojiComposer.HubBridge.Calls;
using KojiComposer.HubBridge.Transport;
using KojiComposer.HubBridge.XmlRpc;

namespace KojiComposer.HubBridge.Sessions;

/// <summary>
/// Content Generator calls (cg-import.md §2, §4, §5), made by the content-generator user in an ordinary session.
/// </summary>
public sealed partial class KojiSession
{
    /// <summary>CGRefundBuild states.</summary>
    public const int RefundFailed = 3;

    /// <summary>CGRefundBuild states.</summary>
    public const int RefundCanceled = 4;

    /// <summary>
    /// CGInitBuild(cg, {name, version, release[, task_id]}) → build id and token. If the reply is lost, the token is
    /// lost with it (a second CGInitBuild only says <c>Build is already reserved</c>): the reservation we made is
    /// released with cancelBuild and made again, which recycles the same build id with a new token (cg-import.md §5).
    /// </summary>
    public async Task<KojiReservation> CGInitBuildAsync(string contentGenerator, string name, string version, string release, long? taskId = null, CancellationToken cancellationToken = default)
    {
        var data = new XmlRpcStruct { ["name"] = name, ["version"] = version, ["release"] = release };
        if (taskId is { } t)
        {
            data["task_id"] = t;
        }

        var call = KojiCall.Write("CGInitBuild", contentGenerator, data) with
        {
            IfAlreadyCommitted = async ct =>
            {
                if (taskId is not null)
                {
                    // cancelBuild on a reservation linked to a task cancels the task too (cg-import.md §2).
                    throw new KojiProtocolException(_http.Describe("CGInitBuild",
                        $"the reservation of {name}-{version}-{release} for task {taskId} may have been made but its reply (and token) was lost; it cannot be released without cancelling the task"));
                }

                var nvr = new XmlRpcStruct { ["name"] = name, ["version"] = version, ["release"] = release };
                var build = await GetBuildAsync(nvr, strict: false, ct).ConfigureAwait(false);
                var me = await GetLoggedInUserAsync(ct).ConfigureAwait(false);
                if (build is not { State: KojiBuildState.Building } || build.OwnerId != me?.Id)
                {
                    throw new KojiProtocolException(_http.Describe("CGInitBuild", $"the first attempt's outcome is unclear, and {name}-{version}-{release} is not a build we are reserving"));
                }

                await CallAsync(KojiCall.Write("cancelBuild", build.Id), ct).ConfigureAwait(false);
                return await CallAsync(KojiCall.Write("CGInitBuild", contentGenerator, data), ct).ConfigureAwait(false);
            },
        };
        var reply = Values.Struct(await CallAsync(call, cancellationToken).ConfigureAwait(false), "CGInitBuild");
        return new KojiReservation(
            Values.Long(Values.Required(reply, "build_id", "CGInitBuild"), "CGInitBuild build_id"),
            Values.String(Values.Required(reply, "token", "CGInitBuild"), "CGInitBuild token"));
    }

    /// <summary>CGImport(metadata JSON string, directory, token) → the build. After a lost reply: the build is COMPLETE.</summary>
    public async Task<KojiBuildInfo> CGImportAsync(string metadataJson, string directory, KojiReservation reservation, CancellationToken cancellationToken = default)
    {
        var call = KojiCall.Write("CGImport", metadataJson, directory, reservation.Token) with
        {
            // The hub re-reads every output for its checksum: a multi-GiB import outlasts the usual request timeout,
            // and a re-send while the first still runs would only fail on its own (cg-import.md §4).
            Timeout = TimeSpan.FromHours(2),
            IfAlreadyCommitted = async ct =>
            {
                var build = await GetBuildAsync(reservation.BuildId, strict: false, ct).ConfigureAwait(false);
                return build is { State: KojiBuildState.Complete }
                    ? build.Raw
                    : throw new KojiProtocolException(_http.Describe("CGImport", $"the first attempt's outcome is unclear, and build {reservation.BuildId} is {build?.State.ToString() ?? "unknown"}, not COMPLETE"));
            },
        };
        return KojiBuildInfo.From(await CallAsync(call, cancellationToken).ConfigureAwait(false), "CGImport");
    }

    /// <summary>CGRefundBuild(cg, build id, token, state 3 FAILED | 4 CANCELED). After a lost reply: the build left BUILDING.</summary>
    public Task CGRefundBuildAsync(string contentGenerator, KojiReservation reservation, int state, CancellationToken cancellationToken = default)
    {
        if (state is not (RefundFailed or RefundCanceled))
        {
            throw new ArgumentOutOfRangeException(nameof(state), state, "CGRefundBuild takes 3 (FAILED) or 4 (CANCELED)");
        }

        return CallAsync(KojiCall.Write("CGRefundBuild", contentGenerator, reservation.BuildId, reservation.Token, state) with
        {
            IfAlreadyCommitted = async ct =>
            {
                var build = await GetBuildAsync(reservation.BuildId, strict: false, ct).ConfigureAwait(false);
                return build is { State: KojiBuildState.Failed or KojiBuildState.Canceled }
                    ? null
                    : throw new KojiProtocolException(_http.Describe("CGRefundBuild", $"build {reservation.BuildId} is still {build?.State.ToString() ?? "unknown"}"));
            },
        }, cancellationToken);
    }

    /// <summary>cancelBuild(build): release a reservation without its token (owner or admin); true when it was BUILDING.</summary>
    public async Task<bool> CancelBuildAsync(object build, CancellationToken cancellationToken = default) =>
        Values.Bool(await CallAsync(KojiCall.Write("cancelBuild", build), cancellationToken).ConfigureAwait(false), "cancelBuild");
}
