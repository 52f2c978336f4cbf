using System.Text.Json;
using System.Text.Json.Nodes;
using KojiComposer.Contracts.Images;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Koji;

/// <summary>
/// The CGImport metadata of a compose (cg-import.md §6), built from the stored image results alone
/// (<c>ImageBuildResult.Koji</c>): build (with <c>task_id</c>, <c>extra.typeinfo.image</c>,
/// <c>extra.osbuild_manifest</c>), one buildroot per image with its build-pipeline RPMs, and per image its image,
/// manifest, log and SBOM outputs.
/// </summary>
/// <remarks>Keys are written in the order composer writes them (its Go structs' order, cg-import.md §6.2): the hub
/// does not care, but the document is stored as the build's <c>metadata.json</c>, where people compare them.</remarks>
public static class CGMetadata
{
    /// <summary>Output types (cg-import.md §6.1); the hub itself only tells <c>log</c> from archives.</summary>
    private const string ImageOutput = "image";
    private const string ManifestOutput = "osbuild-manifest";
    private const string LogOutput = "log";

    /// <summary>The metadata document for <paramref name="compose"/>, every image of which succeeded.</summary>
    /// <param name="compose">The compose, reserved, all images successful with results.</param>
    /// <param name="contentGenerator">The CG name for <c>buildroots[].content_generator.name</c>.</param>
    /// <param name="producerVersion">Our version for the manifests' <c>osbuild_composer_version</c>, e.g.
    /// <c>kojicomposer-0.5.0</c>.</param>
    /// <param name="endTime">The import time (<c>build.end_time</c>).</param>
    /// <exception cref="InvalidOperationException">The compose is not reserved, or an image has no Koji files.</exception>
    public static JsonObject Build(Compose compose, string contentGenerator, string producerVersion, DateTimeOffset endTime)
    {
        ArgumentNullException.ThrowIfNull(compose);
        var reservation = compose.Reservation
            ?? throw new InvalidOperationException($"compose {compose.Id} ({compose.Nvr}) has no reservation to import into");
        if (compose.Images.Count == 0)
        {
            throw new InvalidOperationException($"compose {compose.Id} ({compose.Nvr}) has no images to import");
        }

        var typeInfo = new JsonObject();
        var manifests = new JsonObject();
        var buildroots = new JsonArray();
        var outputs = new JsonArray();
        var images = compose.Images.OrderBy(i => i.Index).ToList();
        for (var position = 0; position < images.Count; position++)
        {
            var image = images[position];
            var result = ResultOf(compose, image);
            var koji = result.Koji!;
            var imageExtra = ImageExtra(image.Arch, result, koji);
            var manifestInfo = ManifestInfo(producerVersion, koji);
            buildroots.Add((JsonNode)Buildroot(position, image.Arch, result, koji, contentGenerator));
            foreach (var file in koji.Files)
            {
                var output = Output(position, file);
                switch (file.Type)
                {
                    case ImageOutput:
                        if (koji.ImageComponents.Count > 0)
                        {
                            output["components"] = Components(koji.ImageComponents);
                        }

                        output["extra"] = new JsonObject { ["image"] = imageExtra.DeepClone() };
                        typeInfo[file.Filename] = imageExtra.DeepClone();
                        break;
                    case ManifestOutput:
                        var manifest = new JsonObject { ["arch"] = image.Arch, ["info"] = manifestInfo.DeepClone() };
                        output["extra"] = new JsonObject { ["image"] = manifest.DeepClone() };
                        manifests[file.Filename] = manifest;
                        break;
                    case LogOutput:
                        break; // a build log, not an archive: no btype
                    default:
                        // SBOMs (sbom-doc) and anything else the worker uploaded: an archive of btype image, which
                        // the hub and Pungi need the arch of.
                        output["extra"] = new JsonObject { ["image"] = new JsonObject { ["arch"] = image.Arch } };
                        break;
                }

                outputs.Add((JsonNode)output);
            }
        }

        var build = new JsonObject { ["build_id"] = reservation.BuildId };
        if (compose.KojiTaskId is { } taskId)
        {
            build["task_id"] = taskId;
        }

        build["name"] = compose.Name;
        build["version"] = compose.Version;
        build["release"] = reservation.Release ?? compose.Release;
        build["source"] = string.Empty;
        build["start_time"] = compose.CreatedAt.ToUnixTimeSeconds();
        build["end_time"] = endTime.ToUnixTimeSeconds();
        var extra = new JsonObject { ["typeinfo"] = new JsonObject { ["image"] = typeInfo } };
        if (manifests.Count > 0)
        {
            extra["osbuild_manifest"] = manifests;
        }

        build["extra"] = extra;
        return new JsonObject
        {
            ["metadata_version"] = 0,
            ["build"] = build,
            ["buildroots"] = buildroots,
            ["output"] = outputs,
        };
    }

    private static ImageBuildResult ResultOf(Compose compose, ComposeImage image)
    {
        var what = $"image {image.Index} ({image.Arch} {image.ImageType}) of compose {compose.Id}";
        if (image.Result is null)
        {
            throw new InvalidOperationException($"{what} has no stored build result");
        }

        ImageBuildResult result;
        try
        {
            result = ImageBuildResult.FromJson(image.Result);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException($"{what} has a build result that cannot be read: {e.Message}", e);
        }

        if (result.Koji is not { Files.Count: > 0 } koji)
        {
            throw new InvalidOperationException($"{what} uploaded no files to Koji");
        }

        if (!koji.Files.Any(f => string.Equals(f.Type, ImageOutput, StringComparison.Ordinal)))
        {
            throw new InvalidOperationException($"{what} uploaded no image file to Koji (only {string.Join(", ", koji.Files.Select(f => f.Filename))})");
        }

        return result;
    }

    /// <summary>The image extra object: <c>extra.typeinfo.image[file]</c> and the image output's <c>extra.image</c>.</summary>
    private static JsonObject ImageExtra(string arch, ImageBuildResult result, KojiImageFiles koji)
    {
        var extra = new JsonObject { ["arch"] = arch };
        if (koji.BootMode is { Length: > 0 } bootMode)
        {
            extra["boot_mode"] = bootMode;
        }

        extra["osbuild_artifact"] = Artifact(koji);
        if (result.OsbuildVersion is { Length: > 0 } osbuild)
        {
            extra["osbuild_version"] = osbuild;
        }

        // Every cloud target's result as the worker recorded it; the Koji upload itself is not one of them.
        var targets = new JsonArray();
        foreach (var target in result.TargetResults)
        {
            if (target is JsonObject t && t["name"] is JsonValue name && name.TryGetValue<string>(out var n) &&
                string.Equals(n, "org.osbuild.koji", StringComparison.Ordinal))
            {
                continue;
            }

            targets.Add(target?.DeepClone());
        }

        if (targets.Count > 0)
        {
            extra["upload_target_results"] = targets;
        }

        return extra;
    }

    private static JsonObject Artifact(KojiImageFiles koji) => new()
    {
        ["export_filename"] = koji.ExportFilename,
        ["export_name"] = koji.ExportName,
    };

    /// <summary>The manifest's <c>info</c>: our version and, when known, the image-definition library's.</summary>
    private static JsonObject ManifestInfo(string producerVersion, KojiImageFiles koji)
    {
        var info = new JsonObject { ["osbuild_composer_version"] = producerVersion };
        if (koji.Generator is { Length: > 0 } generator && koji.GeneratorVersion is { Length: > 0 } version)
        {
            info["osbuild_composer_deps"] = new JsonArray(new JsonObject { ["path"] = generator, ["version"] = version });
        }

        return info;
    }

    private static JsonObject Buildroot(int id, string arch, ImageBuildResult result, KojiImageFiles koji, string contentGenerator) => new()
    {
        ["id"] = id,
        ["host"] = new JsonObject { ["os"] = result.HostOs is { Length: > 0 } os ? os : "linux", ["arch"] = arch },
        ["content_generator"] = new JsonObject { ["name"] = contentGenerator, ["version"] = result.OsbuildVersion },
        ["container"] = new JsonObject { ["type"] = "none", ["arch"] = arch },
        ["tools"] = new JsonArray(),
        ["components"] = Components(koji.BuildrootComponents),
    };

    private static JsonObject Output(int buildrootId, KojiOutputFile file) => new()
    {
        ["buildroot_id"] = buildrootId,
        ["filename"] = file.Filename,
        ["filesize"] = file.Filesize,
        ["arch"] = file.Arch,
        ["checksum_type"] = "md5",
        ["checksum"] = file.Md5,
        ["type"] = file.Type,
    };

    /// <summary>RPM components, de-duplicated by NEVRA (the worker already did; a repeat would only be noise).</summary>
    private static JsonArray Components(IReadOnlyList<RpmComponent> rpms)
    {
        var components = new JsonArray();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rpm in rpms)
        {
            if (!seen.Add(rpm.Nevra))
            {
                continue;
            }

            var component = new JsonObject
            {
                ["type"] = "rpm",
                ["name"] = rpm.Name,
                ["version"] = rpm.Version,
                ["release"] = rpm.Release,
            };
            if (rpm.Epoch is not null)
            {
                component["epoch"] = rpm.Epoch;
            }

            component["arch"] = rpm.Arch;
            component["sigmd5"] = rpm.Sigmd5;
            component["signature"] = rpm.Signature;
            components.Add((JsonNode)component);
        }

        return components;
    }
}
