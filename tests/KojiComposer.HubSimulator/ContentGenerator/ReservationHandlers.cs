using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.Handlers;
using KojiComposer.HubSimulator.Python;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubSimulator.ContentGenerator;

/// <summary>
/// CGInitBuild and CGRefundBuild (cg-import.md §2, §5; kojihub <c>cg_init_build</c>, <c>new_build</c>,
/// <c>recycle_build</c>, <c>cg_refund_build</c>, <c>assert_cg</c>), with the observed texts of every case.
/// </summary>
internal static class ReservationHandlers
{
    public static void Register(HubSimulator hub)
    {
        hub.Dispatcher.Register("CGInitBuild", InitBuild);
        hub.Dispatcher.Register("CGRefundBuild", RefundBuild);
    }

    /// <summary>
    /// kojihub <c>assert_cg</c>: the CG must exist (<c>No such entry in table content_generator: x</c>), the caller be
    /// logged in and have access to it (<c>Content generator access required (x)</c>). Returns the CG id.
    /// </summary>
    public static long AssertCg(CallContext call, object? cg)
    {
        var id = CgId(call, cg);
        var user = call.RequireUser();
        var name = call.State.ContentGeneratorIds.First(p => p.Value == id).Key;
        return user.ContentGenerators.Contains(name) ? id : throw HubFault.Auth($"Content generator access required ({name})");
    }

    /// <summary>lookup_name('content_generator', cg, strict=True).</summary>
    public static long CgId(CallContext call, object? cg) => cg switch
    {
        string name when call.State.ContentGeneratorIds.TryGetValue(name, out var id) => id,
        int or long when call.State.ContentGeneratorIds.ContainsValue(Convert.ToInt64(cg, System.Globalization.CultureInfo.InvariantCulture)) =>
            Convert.ToInt64(cg, System.Globalization.CultureInfo.InvariantCulture),
        _ => throw HubFault.Generic($"No such entry in table content_generator: {TagReadHandlers.Str(cg)}"),
    };

    /// <summary>koji.check_NVR: no <c>-</c> in version or release.</summary>
    public static void CheckNvr(object? version, object? release)
    {
        if (version is string v && v.Contains('-', StringComparison.Ordinal))
        {
            throw HubFault.Generic("The \"-\" character not allowed in version field");
        }

        if (release is string r && r.Contains('-', StringComparison.Ordinal))
        {
            throw HubFault.Generic("The \"-\" character not allowed in release field");
        }
    }

    /// <summary>
    /// CGInitBuild(cg, data) → <c>{build_id, token}</c>: a BUILDING build owned by the caller, reserved for the CG with
    /// a fresh 64-hex token, linked to <c>data.task_id</c> when given. An existing NVR: FAILED/CANCELED ones without
    /// history are recycled under the same id; the other cases fail as the stock hub does (cg-import.md §2 table).
    /// </summary>
    private static object? InitBuild(CallContext call)
    {
        var args = call.Bind("cg", "data");
        var cgId = AssertCg(call, args["cg"]);
        var user = call.User!;
        var given = args.Struct("data") ?? throw HubFault.Python("TypeError", $"'{Arguments.Python(args["data"])}' object does not support item assignment");

        // The data dict as cg_init_build and new_build complete it (its repr is part of one fault text).
        var data = new XmlRpcStruct(given)
        {
            ["owner"] = user.Id,
            ["state"] = (int)BuildState.Building,
            ["completion_time"] = null,
            ["cg_id"] = cgId,
        };
        data.TryAdd("epoch", null);
        foreach (var field in new[] { "version", "release" })
        {
            if (!data.ContainsKey(field))
            {
                throw HubFault.Python("KeyError", $"'{field}'");
            }
        }

        CheckNvr(data["version"], data["release"]);
        var name = data.TryGetValue("name", out var n) && n is string s && s.Length > 0 ? s : throw HubFault.Generic("No name or package id provided for build");
        long? taskId = null;
        if (data.TryGetValue("task_id", out var t) && t is not null)
        {
            taskId = Convert.ToInt64(t, System.Globalization.CultureInfo.InvariantCulture);
        }

        var existingPackage = call.State.PackageId(name);
        data["pkg_id"] = existingPackage ?? call.State.Packages.Keys.DefaultIfEmpty(0).Max() + 1;
        data["extra"] = data.TryGetValue("extra", out var extra) && extra is not null ? PythonJsonText(extra) : null;
        if (data.TryGetValue("draft", out var draft))
        {
            data["draft"] = draft is true;
        }

        data.TryAdd("start_time", "NOW");
        data.TryAdd("source", null);
        data.TryAdd("task_id", null);
        data.TryAdd("volume_id", 0);
        data.TryAdd("draft", false);

        var old = call.State.FindBuild(PythonRepr.Dict(("name", name), ("version", data["version"]), ("release", data["release"])), strict: false);
        if (old is not null)
        {
            Recyclable(call.State, old, data, taskId);
            if (old.ReservationToken is not null)
            {
                throw HubFault.Generic("Build is already reserved");
            }
        }

        if (taskId is { } tid && !call.State.Tasks.ContainsKey(tid) && (old is null || old.State != BuildState.Building))
        {
            // The database's foreign key, met when the row is written.
            throw HubFault.Python(
                "psycopg2.errors.ForeignKeyViolation",
                $"insert or update on table \"build\" violates foreign key constraint \"build_task_id_fkey\"\nDETAIL:  Key (task_id)=({tid}) is not present in table \"task\".\n");
        }

        // Every check passed: now change things.
        var build = old;
        if (build is not null)
        {
            if (build.State != BuildState.Building)
            {
                build.State = BuildState.Building;
                build.OwnerId = user.Id;
                build.TaskId = taskId;
                build.CgId = cgId;
                build.StartTime = call.Now;
                build.CompletionTime = null;
                build.Epoch = data["epoch"] as string;
                build.Source = data["source"] as string;
                build.Extra = given.GetValueOrDefault("extra");
                build.CreateEvent = call.State.NextEvent();
                build.CreationTime = call.Now;
                build.Types.Clear();
            }
        }
        else
        {
            build = new SimBuild
            {
                Id = call.State.Sequence("build"),
                PackageId = call.State.PackageId(name, create: true)!.Value,
                Name = name,
                Version = (string)data["version"]!,
                Release = (string)data["release"]!,
                Epoch = data["epoch"] as string,
                State = BuildState.Building,
                OwnerId = user.Id,
                TaskId = taskId,
                CgId = cgId,
                CreateEvent = call.State.NextEvent(),
                CreationTime = call.Now,
                StartTime = call.Now,
                Source = data["source"] as string,
                Extra = given.GetValueOrDefault("extra"),
            };
            call.State.Builds[build.Id] = build;
        }

        build.ReservationToken = HubState.NewToken();
        call.Commit();
        return new XmlRpcStruct { ["build_id"] = build.Id, ["token"] = build.ReservationToken };
    }

    private static string PythonJsonText(object value) => PythonJson.Dumps(value, indent: null);

    /// <summary>
    /// recycle_build: BUILDING with the same task id (none = none) passes (then the reservation decides); BUILDING
    /// otherwise → <c>Build already in progress (task T)</c>, whose <c>%d</c> of a missing task id is a TypeError;
    /// states other than FAILED/CANCELED → <c>Build already exists (id=N, state=S): {data}</c>; history blocks.
    /// </summary>
    private static void Recyclable(HubState state, SimBuild old, XmlRpcStruct data, long? taskId)
    {
        if (old.State == BuildState.Building)
        {
            if (old.TaskId == taskId)
            {
                return;
            }

            throw old.TaskId is { } t
                ? HubFault.Generic($"Build already in progress (task {t})")
                : HubFault.Python("TypeError", "%d format: a real number is required, not NoneType");
        }

        if (old.State is not (BuildState.Failed or BuildState.Canceled))
        {
            throw HubFault.Generic($"Build already exists (id={old.Id}, state={old.State.ToString().ToUpperInvariant()}): {PythonRepr.Of(data)}");
        }

        if (state.TagHistory.Any(l => l.BuildId == old.Id))
        {
            throw HubFault.Generic("Build already exists. Unable to recycle, has tag history");
        }

        if (state.Archives.Values.Any(a => a.BuildId == old.Id))
        {
            throw HubFault.Generic("Build already exists. Unable to recycle, has archive data");
        }
    }

    /// <summary>
    /// CGRefundBuild(cg, build_id, token, state=3): state 3 or 4 only; the CG's access; the build BUILDING; the token
    /// of its live reservation; reserved by this CG. The build takes the state with a completion time and the
    /// reservation goes; a linked task is left alone.
    /// </summary>
    private static object? RefundBuild(CallContext call)
    {
        var args = call.Bind("cg", "build_id", "token", "state?");
        var state = args.Has("state") ? args.Long("state") : (long)BuildState.Failed;
        if (state is not ((long)BuildState.Failed or (long)BuildState.Canceled))
        {
            throw HubFault.Generic("Only FAILED/CANCELED build states are allowed");
        }

        var cgId = AssertCg(call, args["cg"]);
        var buildId = args["build_id"];
        var build = call.State.FindBuild(buildId, strict: true)!;
        if (build.State != BuildState.Building)
        {
            throw HubFault.Generic($"Build ID {TagReadHandlers.Str(buildId)} is not in BUILDING state");
        }

        if (build.ReservationToken is null || !string.Equals(build.ReservationToken, args["token"] as string, StringComparison.Ordinal))
        {
            throw HubFault.Generic($"Token doesn't match build ID {TagReadHandlers.Str(buildId)}");
        }

        if (build.CgId != cgId)
        {
            throw HubFault.Generic($"Build ID {TagReadHandlers.Str(buildId)} is not reserved by this CG");
        }

        build.State = (BuildState)state;
        build.CompletionTime = call.Now;
        build.ReservationToken = null;
        call.Commit();
        return null;
    }
}
