using System.Text.Json.Nodes;
using KojiComposer.HubBridge.Sessions;
using KojiComposer.Scheduler.Model;

namespace KojiComposer.Scheduler.Koji.Intake;

/// <summary>
/// What an <c>osbuildImage</c> task becomes after the builder procedure's steps 1-7 (osbuildimage-task.md §4): the
/// compose request (composer's <c>POST /compose</c> shape, §5.3, uploaded as <c>compose-request.json</c>), the
/// destination tag and whether to tag.
/// </summary>
public sealed partial record OsbuildImagePlan
{
    /// <summary>The compose request document (§5.3).</summary>
    public required JsonObject ComposeRequest { get; init; }

    /// <summary>The target's destination tag id (for the tagBuild subtask).</summary>
    public required long DestTagId { get; init; }

    /// <summary>The target's destination tag name.</summary>
    public required string DestTagName { get; init; }

    /// <summary><c>opts.skip_tag</c>.</summary>
    public required bool SkipTag { get; init; }

    /// <summary>True when the release came from <c>getNextRelease</c>.</summary>
    public required bool ReleaseGenerated { get; init; }

    /// <summary>The <c>osbuildImage</c> task (the compose's <see cref="NewCompose.KojiTaskId"/>).</summary>
    public long TaskId { get; init; }

    /// <summary>Things users should know that do not stop the task, e.g. an image type whose archives Pungi skips
    /// (osbuildimage-task.md §10).</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>
    /// Steps 1-7 against the hub (<paramref name="hub"/>: the host session): target, tag arches (canonArch, same
    /// error texts), repositories (the user's, or <c>{topurl}/repos/{build tag}/{repo id}/$arch</c> of the build
    /// tag's current repo), <c>$arch</c> templating, release, image-type mapping, one image per arch.
    /// </summary>
    /// <exception cref="KojiTaskFailure">The task's own problem (unknown target, unsupported arch, bad placeholder,
    /// no repo, release not incrementable, ...).</exception>
    public static async Task<OsbuildImagePlan> ResolveAsync(
        KojiCaller hub, long taskId, OsbuildImageArguments arguments, Uri? topUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hub);
        ArgumentNullException.ThrowIfNull(arguments);
        var opts = OsbuildImageOptions.Read(arguments.Opts);

        // 1. The target; strict, so an unknown one is the hub's own fault 1000 "No such build target: x".
        var target = await PassFaults(hub.GetBuildTargetAsync(arguments.Target, strict: true, cancellationToken)).ConfigureAwait(false)
            ?? throw new KojiTaskFailure(KojiTaskFailure.BuildError, $"Target '{arguments.Target}' not found");

        // 2. The build tag's arches (inherited), canonicalised; the requested ones are compared as given.
        var config = await PassFaults(hub.GetBuildConfigAsync(target.BuildTag, cancellationToken)).ConfigureAwait(false);
        var tagArches = (config.Arches ?? "").Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (tagArches.Length == 0)
        {
            // The '%' is upstream's typo, kept so the text stays the one people search for.
            throw new KojiTaskFailure(KojiTaskFailure.BuildError, $"Missing arches for tag '%{target.BuildTagName}'");
        }

        var allowed = tagArches.Select(KojiArch.Canonical).ToHashSet(StringComparer.Ordinal);
        var unsupported = arguments.Arches.Where(a => !allowed.Contains(a)).Distinct(StringComparer.Ordinal).ToList();
        if (unsupported.Count > 0)
        {
            throw new KojiTaskFailure(KojiTaskFailure.BuildError, $"Unsupported architecture(s): {PythonRepr.Set(unsupported)}");
        }

        // 4 before 3: a bad placeholder must fail the task before the repo lookup, which may queue a repo request
        // (a hub write). The check does not depend on the arch.
        foreach (var repo in opts.Repos)
        {
            ArchTemplate.Check(repo.BaseUrl);
        }

        foreach (var text in new[] { opts.Ostree?.Parent, opts.Ostree?.Ref }.OfType<string>())
        {
            ArchTemplate.Check(text);
        }

        // 3. The user's repos replace the build tag's; otherwise the tag's current repo.
        var repos = opts.Repos;
        if (repos.Count == 0)
        {
            if (topUrl is null)
            {
                throw new KojiTaskFailure(KojiTaskFailure.BuildError,
                    $"No repo available for tag '{target.BuildTagName}': the task names no repositories and this KojiComposer has no hub.topurl configured to reach the build tag's repository");
            }

            var current = await PassFaults(hub.GetCurrentRepoAsync(target.BuildTag, cancellationToken)).ConfigureAwait(false)
                ?? throw new KojiTaskFailure(KojiTaskFailure.BuildError, $"No repo available for tag '{target.BuildTagName}'") { NoRepoYet = true };
            // Templated per arch like the user's URLs; a '$' of our own part is literal.
            var url = $"{topUrl.AbsoluteUri.TrimEnd('/')}/repos/{target.BuildTagName}/{current.Id}";
            repos = [new OptsRepo(url.Replace("$", "$$", StringComparison.Ordinal) + "/$arch", [])];
        }

        // 5. Release.
        var release = opts.Release;
        var generated = release is null;
        release ??= await PassFaults(hub.GetNextReleaseAsync(arguments.Name, arguments.Version, cancellationToken)).ConfigureAwait(false);

        // 6. and 7.
        var imageType = MapImageType(arguments.ImageType);
        var images = new JsonArray();
        foreach (var arch in arguments.Arches)
        {
            images.Add(ImageRequest(arch, imageType, repos, opts));
        }

        var request = new JsonObject();
        if (opts.Customizations is { } customizations)
        {
            request["customizations"] = customizations.DeepClone();
        }

        request["distribution"] = arguments.Distro;
        request["image_requests"] = images;
        request["koji"] = new JsonObject
        {
            ["name"] = arguments.Name,
            ["release"] = release,
            ["server"] = hub.HubUrl.AbsoluteUri,
            ["task_id"] = taskId,
            ["version"] = arguments.Version,
        };

        return new OsbuildImagePlan
        {
            ComposeRequest = request,
            DestTagId = target.DestTag,
            DestTagName = target.DestTagName,
            SkipTag = opts.SkipTag,
            ReleaseGenerated = generated,
            TaskId = taskId,
            Warnings = PungiArchives.Warning(imageType) is { } warning ? [warning] : [],
        };
    }

    /// <summary>The old Koji-API image type names (§4 step 6); every other name passes through.</summary>
    internal static string MapImageType(string imageType) => imageType switch
    {
        "qcow2" => "guest-image",
        "ec2" => "aws-rhui",
        "ec2-ha" => "aws-ha-rhui",
        "ec2-sap" => "aws-sap-rhui",
        _ => imageType,
    };

    private static JsonObject ImageRequest(string arch, string imageType, IReadOnlyList<OptsRepo> repos, OsbuildImageOptions opts)
    {
        var repositories = new JsonArray();
        foreach (var repo in repos)
        {
            var json = new JsonObject { ["baseurl"] = ArchTemplate.Substitute(repo.BaseUrl, arch) };
            if (repo.PackageSets.Count > 0)
            {
                json["package_sets"] = new JsonArray(repo.PackageSets.Select(s => (JsonNode)JsonValue.Create(s)).ToArray());
            }

            json["rhsm"] = false;
            repositories.Add(json);
        }

        var image = new JsonObject { ["architecture"] = arch, ["image_type"] = imageType };
        if (opts.Ostree is { } ostree)
        {
            var json = new JsonObject();
            if (ostree.Parent is { } parent)
            {
                json["parent"] = ArchTemplate.Substitute(parent, arch);
            }

            if (ostree.Ref is { } reference)
            {
                json["ref"] = ArchTemplate.Substitute(reference, arch);
            }

            if (ostree.Url is { } url)
            {
                json["url"] = url; // not templated (upstream): a URL may hold a literal $arch
            }

            image["ostree"] = json;
        }

        image["repositories"] = repositories;
        if (opts.UploadOptions is { } uploadOptions)
        {
            image["upload_options"] = uploadOptions.DeepClone();
        }

        return image;
    }
}
