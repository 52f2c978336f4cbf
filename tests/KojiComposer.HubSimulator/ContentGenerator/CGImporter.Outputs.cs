using System.Security.Cryptography;
using KojiComposer.HubBridge.Uploads;
using KojiComposer.HubBridge.XmlRpc;
using KojiComposer.HubSimulator.Handlers;
using KojiComposer.HubSimulator.Python;
using KojiComposer.HubSimulator.State;

namespace KojiComposer.HubSimulator.ContentGenerator;

internal sealed partial class CGImporter
{
    /// <summary>An output as prep_outputs leaves it: where the file is, and for archives the btype and its info.</summary>
    private sealed record PreparedOutput(XmlRpcStruct Info, string Path, string Filename, string Type, object BuildrootKey, string? Btype, object? BtypeInfo);

    /// <summary>
    /// Step 4 (prep_brs): every buildroot used by an output, ids unique; components matched (the simulated hub has no
    /// RPMs, so every RPM component is ignored with a warning in the import log, as a stock hub does for unknown ones).
    /// </summary>
    private Dictionary<object, XmlRpcStruct> PrepareBuildroots()
    {
        var used = Py.List(Py.Get(_metadata, "output")).Select(o => Py.Key(Py.Get(o, "buildroot_id"))).ToHashSet();
        var buildroots = new Dictionary<object, XmlRpcStruct>();
        foreach (var entry in Py.List(Py.Get(_metadata, "buildroots")))
        {
            var id = Py.Get(entry, "id");
            var key = Py.Key(id) ?? "None";
            if (!used.Contains(Py.Key(id)))
            {
                throw HubFault.Generic($"Buildroot id not used in output: {PythonRepr.Of(id)}");
            }

            if (buildroots.ContainsKey(key))
            {
                throw HubFault.Generic($"Duplicate buildroot id in metadata: {PythonRepr.Of(id)}");
            }

            var buildroot = Py.Dict(entry);
            _ = Py.Get(Py.Get(buildroot, "content_generator"), "version");
            _ = Py.Get(Py.Get(buildroot, "container"), "type");
            _ = Py.Get(Py.Get(buildroot, "container"), "arch");
            _ = Py.Get(Py.Get(buildroot, "host"), "os");
            _ = Py.Get(Py.Get(buildroot, "host"), "arch");
            MatchComponents(Py.Get(buildroot, "components"));
            _ = Py.Get(buildroot, "tools");
            buildroots[key] = buildroot;
        }

        return buildroots;
    }

    private void MatchComponents(object? components)
    {
        foreach (var component in Py.List(components))
        {
            switch (Py.Get(component, "type"))
            {
                case "rpm":
                    var rpm = Py.Dict(component);
                    if (rpm.ContainsKey("location"))
                    {
                        throw HubFault.Generic("External rpms not allowed");
                    }

                    if (rpm.ContainsKey("id"))
                    {
                        throw HubFault.Generic("Unexpected 'id' field in component");
                    }

                    _log.Add($"IGNORING unmatched rpm component: {PythonRepr.Of(rpm)}");
                    break;
                case "file":
                    _log.Add($"Failed to match archive {Py.Str(Py.Get(component, "filename"))} (size {Py.Str(Py.Get(component, "filesize"))}, sum {Py.Str(Py.Get(component, "checksum"))}");
                    _log.Add($"IGNORING unmatched archive: {PythonRepr.Of(component)}");
                    break;
                case "kojifile":
                    throw HubFault.Generic("query returned no rows");
                case var other:
                    throw HubFault.Generic($"No such component type: {Py.Str(other)}");
            }
        }
    }

    /// <summary>
    /// Step 5 (prep_outputs), in metadata order: the file exists (else the FileNotFoundError of os.path.getsize, with
    /// the hub's absolute path), its size and checksum (md5, sha256, adler32) match, its buildroot exists; archives
    /// (anything but rpm and log) carry exactly one btype that the build's typeinfo lists.
    /// </summary>
    private List<PreparedOutput> PrepareOutputs(Dictionary<object, XmlRpcStruct> buildroots)
    {
        var outputs = new List<PreparedOutput>();
        foreach (var entry in Py.List(Py.Get(_metadata, "output")))
        {
            var info = new XmlRpcStruct(Py.Dict(entry));
            var filename = Py.Str(Py.Get(info, "filename"));
            var path = Py.JoinPath(call.Hub.WorkDir, _directory, Py.Str(Py.GetOr(info, "relpath", string.Empty)), filename);
            if (!HubFiles.TargetExists(path))
            {
                throw HubFault.Python("FileNotFoundError", $"[Errno 2] No such file or directory: {PythonRepr.Of(path)}");
            }

            var file = new FileInfo(path);
            var size = file.LinkTarget is null ? file.Length : new FileInfo(file.ResolveLinkTarget(returnFinalTarget: true)!.FullName).Length;
            if (call.Hub.ImportSeesFileSize is { } seen)
            {
                size = seen(filename, size);
            }

            var expectedSize = Py.Get(info, "filesize");
            if (!Py.Eq(size, expectedSize))
            {
                throw HubFault.Generic($"File size {size} for {filename} (expected {Py.Str(expectedSize)}) doesn't match. Corrupted upload?");
            }

            var checksumType = Py.Get(info, "checksum_type");
            var digest = Digest(path, checksumType);
            var checksum = Py.Get(info, "checksum");
            if (!Equals(checksum, digest))
            {
                throw HubFault.Generic($"File checksum mismatch for {filename}: {Py.Str(checksum)} != {digest}");
            }

            var buildrootKey = Py.Key(Py.Get(info, "buildroot_id")) ?? "None";
            if (!buildroots.ContainsKey(buildrootKey))
            {
                throw HubFault.Generic($"Missing buildroot metadata for id {PythonRepr.Of(Py.Get(info, "buildroot_id"))}");
            }

            var type = Py.Str(Py.Get(info, "type"));
            string? btype = null;
            object? btypeInfo = null;
            if (type == "rpm")
            {
                throw HubFault.Generic($"rpm outputs are not supported by the simulated hub: {filename}");
            }

            if (type != "log")
            {
                (btype, btypeInfo) = PrepareArchive(info, filename);
            }

            outputs.Add(new PreparedOutput(info, path, filename, type, buildrootKey, btype, btypeInfo));
        }

        return outputs;
    }

    /// <summary>koji <c>get_verify_class</c>: md5, adler32, sha256; anything else → <c>Unsupported verify type</c>.</summary>
    private static string Digest(string path, object? checksumType)
    {
        using var stream = File.OpenRead(path);
        switch (checksumType)
        {
            case "md5":
                return Convert.ToHexStringLower(MD5.HashData(stream));
            case "sha256":
                return Convert.ToHexStringLower(SHA256.HashData(stream));
            case "adler32":
                var adler = 1u;
                var buffer = new byte[1 << 16];
                int read;
                while ((read = stream.Read(buffer)) > 0)
                {
                    adler = Adler32.Update(adler, buffer.AsSpan(0, read));
                }

                return Adler32.ToHex(adler);
            default:
                if (Py.Truthy(checksumType))
                {
                    throw HubFault.Generic($"Unsupported verify type: {Py.Str(checksumType)}");
                }

                throw HubFault.Python("TypeError", "'NoneType' object is not callable");
        }
    }

    /// <summary>prep_archive: exactly one btype in <c>extra</c> (legacy keys or <c>extra.typeinfo</c>), listed by the build.</summary>
    private (string Btype, object? Info) PrepareArchive(XmlRpcStruct info, string filename)
    {
        var extra = Py.Dict(Py.GetOr(info, "extra", new XmlRpcStruct()));
        string? btype = null;
        object? typeInfo = null;
        foreach (var key in extra.Keys.Where(k => k is "maven" or "win" or "image"))
        {
            if (btype is not null)
            {
                throw HubFault.Generic($"Output file has multiple types: {filename}");
            }

            btype = key;
            typeInfo = extra[key];
        }

        foreach (var key in Py.Dict(Py.GetOr(extra, "typeinfo", new XmlRpcStruct())).Keys)
        {
            if (btype == key)
            {
                throw HubFault.Generic($"Duplicate typeinfo for: {PythonRepr.Of(btype)}");
            }

            if (btype is not null)
            {
                throw HubFault.Generic($"Output file has multiple types: {filename}");
            }

            btype = key;
            typeInfo = ((XmlRpcStruct)extra["typeinfo"]!)[key];
        }

        if (btype is null)
        {
            throw HubFault.Generic($"No typeinfo for: {filename}");
        }

        if (!_typeInfo.ContainsKey(btype))
        {
            throw HubFault.Generic($"Output type {btype} not listed in build types");
        }

        if (info.TryGetValue("components", out var components))
        {
            MatchComponents(components);
        }

        return (btype, typeInfo);
    }
}
