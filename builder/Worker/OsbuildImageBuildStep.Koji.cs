using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using KojiComposer.Builder.Artifacts;
using KojiComposer.Builder.Manifests;
using KojiComposer.Builder.Uploads;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Worker;

public sealed partial class OsbuildImageBuildStep
{
    // The manifest's text as it is, only indented: the default encoder would write every "+" of an inline source's
    // base64, every "<", "'" and non-ASCII letter as \uXXXX (JSON-equal, but not the document osbuild ran).
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        IndentSize = 2,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private string? _generatorVersion;

    /// <summary>
    /// One image's files for Koji in output order (cg-import.md §3, §6.1): the image under its Koji name, the
    /// manifest (indented 2 spaces), the rendered osbuild log (noarch) and the generator's SBOMs. A local failure
    /// writing them is KojiBuild (14).
    /// </summary>
    private (IReadOnlyList<ArtifactFile> Files, JobError? Error) PrepareKojiFiles(Build build, BuildProducts made)
    {
        var request = build.Request;
        var imageName = KojiFileNames.Image(request.Name, request.Version, request.Release, request.Arch, build.Entry.Filename);
        try
        {
            var manifestPath = Path.Combine(build.Work.Koji, KojiFileNames.Manifest(imageName));
            File.WriteAllText(manifestPath, IndentedManifest(made.Manifest.Manifest));
            var logPath = Path.Combine(build.Work.Koji, KojiFileNames.Log(imageName));
            File.WriteAllText(logPath, RenderLog(made.Document));
            var files = new List<ArtifactFile>
            {
                new(made.Artifact.Path, imageName, "image", request.Arch),
                new(manifestPath, KojiFileNames.Manifest(imageName), "osbuild-manifest", request.Arch),
                new(logPath, KojiFileNames.Log(imageName), "log", "noarch"),
            };
            files.AddRange(made.Manifest.Sboms.Select(s => new ArtifactFile(s.Path, KojiFileNames.Sbom(imageName, s.Suffix), "sbom-doc", request.Arch)));
            return (files, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ([], new JobError(JobErrorCodes.KojiBuild, $"cannot write the Koji files of {imageName}: {e.Message}"));
        }
    }

    private async Task<KojiImageFiles> UploadToKojiAsync(
        Build build, BuildProducts made, string hub, string directory, IReadOnlyList<ArtifactFile> files, IImageBuildReporter reporter,
        CancellationToken cancellationToken)
    {
        var total = files.Sum(f => new FileInfo(f.LocalPath) is { Exists: true } info ? info.Length : 0); // a missing file fails in the upload, by name
        Log.UploadingToKoji(logger, build.Image, files.Count, total, hub, directory);
        var uploaded = await uploader.UploadAsync(hub, directory, files, new UploadProgress(reporter, total), cancellationToken).ConfigureAwait(false);
        var (buildroot, payload) = made.Document is { } document ? SplitPackages(document, made.Pipelines) : ([], []);
        return new KojiImageFiles
        {
            Directory = directory,
            Files = uploaded,
            ExportName = build.Entry.Export,
            ExportFilename = made.Artifact.Filename,
            BootMode = build.Entry.BootMode,
            BuildrootComponents = buildroot,
            ImageComponents = payload,
            Generator = generator.Name,
            GeneratorVersion = await GeneratorVersionAsync(cancellationToken).ConfigureAwait(false),
        };
    }

    /// <summary>The Koji entry of the image's uploads: composer's Koji target result (image, manifest and log, each
    /// <c>{filename, checksum_type, checksum, size}</c>) with the upload directory; no credentials, no session.</summary>
    private static JsonObject KojiUploadOptions(KojiImageFiles koji)
    {
        var options = new JsonObject { ["directory"] = koji.Directory };
        foreach (var (type, key) in new[] { ("image", "image"), ("osbuild-manifest", "osbuild_manifest"), ("log", "log") })
        {
            if (koji.Files.FirstOrDefault(f => string.Equals(f.Type, type, StringComparison.Ordinal)) is { } file)
            {
                options[key] = new JsonObject
                {
                    ["filename"] = file.Filename,
                    ["checksum_type"] = "md5",
                    ["checksum"] = file.Md5,
                    ["size"] = file.Filesize,
                };
            }
        }

        return options;
    }

    private static string IndentedManifest(string manifest)
    {
        try
        {
            return (JsonNode.Parse(manifest)?.ToJsonString(Indented) ?? manifest) + "\n";
        }
        catch (JsonException)
        {
            return manifest; // osbuild accepted it, so it is what we keep
        }
    }

    private async Task<string?> GeneratorVersionAsync(CancellationToken cancellationToken)
    {
        try
        {
            return _generatorVersion ??= await generator.VersionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ManifestGeneratorUnavailableException)
        {
            return null;
        }
    }

    /// <summary>Upload bytes as the image's progress in whole MiB (<see cref="ImageProgress"/> counts in ints; a
    /// long of MiB fits one up to 2 PiB). Rounded down, so the last bytes show as done only when every byte is: a
    /// finished upload of less than 1 MiB is 1 of 1, not 0 of 1.</summary>
    private sealed class UploadProgress(IImageBuildReporter reporter, long total) : IProgress<long>
    {
        private readonly int _totalMiB = (int)Math.Clamp(total >> 20, 1, int.MaxValue);

        public void Report(long value)
        {
            var done = value >= total ? _totalMiB : (int)Math.Min(value >> 20, _totalMiB);
            reporter.Report(ImageBuildPhase.Uploading, new ImageProgress(done, _totalMiB, "koji upload"));
        }
    }
}
