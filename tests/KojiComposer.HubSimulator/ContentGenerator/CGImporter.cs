using System.Text.Json;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.Python;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubSimulator.ContentGenerator;

/// <summary>
/// One <c>CGImport(metadata, directory, token)</c> (cg-import.md §4; kojihub <c>CG_Importer.do_import</c>), in the
/// hub's order: metadata and its version, CG access, the build (reservation checks), buildroots, outputs (files,
/// sizes, checksums, typeinfo), the build directory; then the import, which moves files. Every check runs before any
/// state changes; a fault during the import leaves the state untouched and the build directory deleted, but the
/// files already moved stay moved, as dangling symlinks in the upload directory (step 7).
/// </summary>
internal sealed partial class CGImporter(CallContext call)
{
    private readonly HubState _state = call.State;
    private readonly List<string> _log = [];
    private XmlRpcStruct _metadata = null!;
    private string _rawMetadata = null!;
    private string _directory = null!;
    private long _cgId;
    private SimBuild? _reserved;
    private PreparedBuild _build = null!;
    private XmlRpcStruct _typeInfo = null!;

    /// <summary>The build data prep_build gathers from the metadata.</summary>
    private sealed record PreparedBuild(
        string Name, string Version, string Release, string? Epoch, object? Source, XmlRpcStruct Extra, bool Draft,
        DateTimeOffset StartTime, DateTimeOffset CompletionTime, long? TaskId, long? Owner);

    public static void Register(HubSimulator hub) => hub.Dispatcher.Register("CGImport", call =>
    {
        var args = call.Bind("metadata", "directory", "token?");
        return new CGImporter(call).Import(args["metadata"], args["directory"], args["token"]);
    });

    private object? Import(object? metadata, object? directory, object? token)
    {
        _directory = directory as string ?? throw HubFault.Python("TypeError", $"expected str, bytes or os.PathLike object, not {Arguments.Python(directory)}");
        ReadMetadata(metadata);
        var version = Py.Get(_metadata, "metadata_version");
        if (!Py.Eq(version, 0))
        {
            throw HubFault.Generic($"No such metadata version: {PythonRepr.Of(version)}");
        }

        AssertCgAccess();
        PrepareBuild(token);
        var buildroots = PrepareBuildroots();
        var outputs = PrepareOutputs(buildroots);
        var buildDir = BuildDir(_build.Name, _build.Version, _build.Release);
        if (Directory.Exists(buildDir) || File.Exists(buildDir) || new FileInfo(buildDir).LinkTarget is not null)
        {
            throw HubFault.Generic($"Destination directory already exists: {buildDir}");
        }

        return ImportPrepared(outputs, buildroots, token as string, buildDir);
    }

    /// <summary>Step 1: a struct, a JSON string, or the name of a <c>.json</c> file in the directory (null: metadata.json).</summary>
    private void ReadMetadata(object? metadata)
    {
        if (metadata is XmlRpcStruct given)
        {
            _metadata = given;
            _rawMetadata = PythonJson.Dumps(given);
            return;
        }

        metadata ??= "metadata.json";
        var text = metadata as string ?? throw HubFault.Parameter($"Invalid type for value {PythonRepr.Of(metadata)}: {Arguments.Python(metadata)}");
        if (text.EndsWith(".json", StringComparison.Ordinal))
        {
            var path = Py.JoinPath(call.Hub.WorkDir, _directory, text);
            if (!HubFiles.TargetExists(path))
            {
                throw HubFault.Generic($"No such file: {text}");
            }

            text = File.ReadAllText(path);
        }

        _rawMetadata = text;
        try
        {
            _metadata = PythonJson.Loads(text) as XmlRpcStruct
                ?? throw HubFault.Python("TypeError", "list indices must be integers or slices, not str");
        }
        catch (JsonException)
        {
            throw HubFault.Generic($"Invalid json data: {PythonRepr.Of(text)}");
        }
    }

    /// <summary>Step 2: one CG across all buildroots, known, and the caller has access to it.</summary>
    private void AssertCgAccess()
    {
        long? cgId = null;
        foreach (var buildroot in Py.List(Py.Get(_metadata, "buildroots")))
        {
            var id = ReservationHandlers.CgId(call, Py.Get(Py.Get(buildroot, "content_generator"), "name"));
            if (cgId is not null && cgId != id)
            {
                throw HubFault.Generic("Koji now support only one content-generator per import");
            }

            cgId = id;
        }

        _cgId = ReservationHandlers.AssertCg(call, cgId is { } known ? known : null);
    }

    /// <summary>Step 3 (prep_build): the reservation, or an NVR free to import; the build data; the typeinfo.</summary>
    private void PrepareBuild(object? token)
    {
        var build = Py.Dict(Py.Get(_metadata, "build"));
        var taskId = Py.GetOr(build, "task_id") is { } t ? Py.Int(t) : (long?)null;
        if (Py.Truthy(Py.GetOr(build, "build_id")))
        {
            var buildId = Py.Get(build, "build_id");
            var reserved = _state.FindBuild(buildId, strict: true)!;
            if (reserved.ReservationToken is null || !Equals(reserved.ReservationToken, token))
            {
                throw HubFault.Generic($"Token doesn't match build ID {Py.Str(buildId)}");
            }

            if (reserved.CgId != _cgId)
            {
                throw HubFault.Generic($"Build ID {Py.Str(buildId)} is not reserved by this CG");
            }

            if (reserved.TaskId is { } owning && owning != taskId)
            {
                throw HubFault.Generic($"Build is owned by task {owning}");
            }

            if (reserved.State != BuildState.Building)
            {
                throw HubFault.Generic($"Build ID {Py.Str(buildId)} is not in BUILDING state");
            }

            if (!Py.Eq(reserved.Draft, Py.GetOr(build, "draft", false)))
            {
                throw HubFault.Generic($"Draft field does not match reservation (build id = {Py.Str(buildId)})");
            }

            if (!Equals(reserved.Name, Py.Get(build, "name")) || !Equals(reserved.Version, Py.Get(build, "version")) ||
                !Equals(reserved.Release, Py.Get(build, "release")))
            {
                throw HubFault.Generic($"Build ({reserved.Id}) NVR is different");
            }

            if (build.TryGetValue("epoch", out var epoch) && !Equals(reserved.Epoch, epoch))
            {
                throw HubFault.Generic($"Build ({reserved.Id}) epoch is different");
            }

            _reserved = reserved;
        }
        else if (token is not null)
        {
            throw HubFault.Generic("Reservation token given, but no build_id in metadata");
        }
        else if (_state.FindBuild(PythonRepr.Dict(("name", Py.Get(build, "name")), ("version", Py.Get(build, "version")), ("release", Py.Get(build, "release"))), strict: false) is { } existing &&
                 existing.State is not (BuildState.Canceled or BuildState.Failed))
        {
            throw HubFault.Generic($"Build already exists: {existing.Nvr} (id={existing.Id})");
        }

        long? owner = null;
        if (Py.GetOr(build, "owner") is { } ownerName && Py.Truthy(ownerName))
        {
            var name = ownerName as string ?? throw HubFault.Generic($"Invalid owner format (expected username): {Py.Str(ownerName)}");
            owner = (_state.UserByName(name) ?? _state.UserByPrincipal(name) ?? throw HubFault.Generic($"No such user: {PythonRepr.Of(name)}")).Id;
        }

        var extra = build.TryGetValue("extra", out var e) && e is not null ? Py.Dict(e) : [];
        build["extra"] = extra;
        var start = Py.Float(Py.Get(build, "start_time"));
        var end = Py.Float(Py.Get(build, "end_time"));
        _build = new PreparedBuild(
            Py.Str(Py.Get(build, "name")), Py.Str(Py.Get(build, "version")), Py.Str(Py.Get(build, "release")),
            Py.GetOr(build, "epoch") as string, Py.GetOr(build, "source"), extra, Py.Truthy(Py.GetOr(build, "draft", false)),
            DateTimeOffset.FromUnixTimeMilliseconds((long)(start * 1000)), DateTimeOffset.FromUnixTimeMilliseconds((long)(end * 1000)),
            taskId, owner);
        ReservationHandlers.CheckNvr(_build.Version, _build.Release);

        if (!extra.TryGetValue("typeinfo", out var typeInfo))
        {
            extra["typeinfo"] = typeInfo = new XmlRpcStruct();
        }

        _typeInfo = Py.Dict(typeInfo);
        foreach (var legacy in new[] { "maven", "win", "image" })
        {
            if (extra.TryGetValue(legacy, out var info))
            {
                if (!_typeInfo.TryAdd(legacy, info))
                {
                    throw HubFault.Generic($"Duplicate typeinfo for {PythonRepr.Of(legacy)}");
                }
            }
        }

        foreach (var btype in _typeInfo.Keys)
        {
            if (!_state.Btypes.ContainsKey(btype))
            {
                throw HubFault.Generic($"No such entry in table btype: {btype}");
            }
        }
    }

    private string BuildDir(string name, string version, string release) =>
        Path.Combine(call.Hub.KojiDir, "packages", name, version, release);
}
