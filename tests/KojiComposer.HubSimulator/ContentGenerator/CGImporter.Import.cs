using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.Handlers;
using KojiComposer.HubSimulator.Python;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubSimulator.ContentGenerator;

internal sealed partial class CGImporter
{
    /// <summary>
    /// Steps 6-7: the import. Outputs in metadata order: an archive's type comes from its file name only now
    /// (<c>unsupported file extension: F</c>), then it moves to <c>packages/N/V/R/images/</c>; a log moves to
    /// <c>data/logs/</c>; each leaves a relative symlink behind. Then <c>metadata.json</c>. On a fault the build
    /// directory is deleted and nothing is recorded, but the moved files' symlinks stay, pointing nowhere.
    /// </summary>
    private object? ImportPrepared(List<PreparedOutput> outputs, Dictionary<object, XmlRpcStruct> buildroots, string? token, string buildDir)
    {
        var archives = new List<(PreparedOutput Output, ArchiveType Type)>();
        try
        {
            foreach (var output in outputs)
            {
                if (output.Type == "log")
                {
                    var logDir = Path.Combine(buildDir, "data", "logs");
                    if (Py.GetOr(output.Info, "subdir") is string subdir && subdir.Length > 0)
                    {
                        logDir = Py.JoinPath(logDir, subdir);
                    }

                    Directory.CreateDirectory(logDir);
                    var final = Path.Combine(logDir, Path.GetFileName(output.Path));
                    if (HubFiles.TargetExists(final))
                    {
                        throw HubFault.Generic($"Error importing build log. {final} already exists.");
                    }

                    MoveAndSymlink(output.Path, final, "Error importing build log. {0} is not a regular file.");
                    continue;
                }

                var type = _state.ArchiveTypeOf(output.Filename) ?? throw HubFault.Generic($"unsupported file extension: {output.Filename}");
                if (output.Btype == "image")
                {
                    _ = Py.Get(output.BtypeInfo, "arch");
                }

                var destination = output.Btype == "image" ? Path.Combine(buildDir, "images") : Path.Combine(buildDir, output.Btype!);
                var finalPath = Path.Combine(destination, Path.GetFileName(output.Path));
                if (HubFiles.TargetExists(finalPath))
                {
                    throw HubFault.Generic($"Error importing archive file, {finalPath} already exists");
                }

                Directory.CreateDirectory(destination);
                MoveAndSymlink(output.Path, finalPath, "Error importing archive file, {0} is not a regular file");
                archives.Add((output, type));
            }

            Directory.CreateDirectory(buildDir);
            File.WriteAllText(Path.Combine(buildDir, "metadata.json"), _rawMetadata);
        }
        catch (Exception e) when (e is HubFault or IOException or UnauthorizedAccessException)
        {
            if (Directory.Exists(buildDir))
            {
                Directory.Delete(buildDir, recursive: true);
            }

            // A file-system error on the hub comes back as the Python exception it would be there.
            throw e as HubFault ?? HubFault.Python(e is UnauthorizedAccessException ? "PermissionError" : "OSError", e.Message);
        }

        return Record(archives, buildroots, token);
    }

    private static void MoveAndSymlink(string source, string destination, string notRegular)
    {
        if (new FileInfo(source).LinkTarget is not null || !HubFiles.IsFile(source))
        {
            throw HubFault.Generic(string.Format(System.Globalization.CultureInfo.InvariantCulture, notRegular, source));
        }

        File.Move(source, destination);
        File.CreateSymbolicLink(source, Path.GetRelativePath(Path.GetDirectoryName(source)!, destination));
    }

    /// <summary>The database part of a successful import: the build COMPLETE, its archives and types, the log.</summary>
    private XmlRpcStruct Record(List<(PreparedOutput Output, ArchiveType Type)> archives, Dictionary<object, XmlRpcStruct> buildroots, string? token)
    {
        var now = call.Now;
        SimBuild build;
        if (token is not null && _reserved is not null)
        {
            build = _reserved;
            build.ReservationToken = null;
        }
        else
        {
            build = _state.FindBuild(PythonRepr.Dict(("name", _build.Name), ("version", _build.Version), ("release", _build.Release)), strict: false)
                ?? new SimBuild
                {
                    Id = _state.Sequence("build"),
                    PackageId = _state.PackageId(_build.Name, create: true)!.Value,
                    Name = _build.Name,
                    Version = _build.Version,
                    Release = _build.Release,
                };
            _state.Builds[build.Id] = build;
            build.StartTime = _build.StartTime;
            build.CreationTime = now;
            build.CreateEvent = _state.NextEvent();
            build.Epoch = _build.Epoch;
            build.Draft = _build.Draft;
            build.Types.Clear();
        }

        build.State = BuildState.Complete;
        build.CompletionTime = token is not null ? now : _build.CompletionTime;
        build.OwnerId = _build.Owner ?? call.User!.Id;
        build.Source = _build.Source as string;
        build.TaskId = _build.TaskId;
        build.CgId = _cgId;
        build.Extra = _build.Extra.Count > 0 ? _build.Extra : null;
        foreach (var btype in _typeInfo.Keys)
        {
            build.Types.Add(btype);
        }

        var buildrootIds = buildroots.Keys.ToDictionary(k => k, _ => _state.NextBuildrootId());
        foreach (var (output, type) in archives)
        {
            var archive = new SimArchive
            {
                Id = _state.Sequence("archiveinfo"),
                BuildId = build.Id,
                BuildrootId = buildrootIds.GetValueOrDefault(output.BuildrootKey),
                Type = type,
                Btype = output.Btype!,
                BtypeId = _state.Btypes[output.Btype!],
                Filename = output.Filename,
                Size = Py.Int(Py.Get(output.Info, "filesize")),
                Checksum = Py.Str(Py.Get(output.Info, "checksum")),
                ChecksumType = Py.Get(output.Info, "checksum_type") switch { "md5" => 0, "sha256" => 2, _ => 3 },
                Extra = Py.GetOr(output.Info, "extra"),
            };
            _state.Archives[archive.Id] = archive;
        }

        if (_log.Count > 0)
        {
            var logs = Path.Combine(BuildDir(build.Name, build.Version, build.Release), "data", "logs");
            Directory.CreateDirectory(logs);
            File.WriteAllLines(Path.Combine(logs, "cg_import.log"), [.. _log, "CG import was SUCCESSFUL."]);
        }

        call.Commit();
        return HubDicts.Build(_state, build);
    }
}
