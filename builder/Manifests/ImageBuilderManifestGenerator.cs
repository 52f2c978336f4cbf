using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Images;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Manifests;

/// <summary>
/// Makes manifests with <c>image-builder manifest</c> (osbuild-run.md §9): writes the blueprint, the repository
/// file and runs <c>image-builder manifest &lt;generator type&gt; --distro D --arch A --blueprint … --seed N
/// --use-librepo=… [--force-repo-dir …] [--ostree-ref/--ostree-parent/--ostree-url …] [--rpmmd-cache …]
/// [--with-sbom --output-dir …]</c>; the manifest is its stdout (flags as in osbuild/image-builder
/// <c>cmd/image-builder/cmd.go</c>, docs/manifest-generators.md).
/// </summary>
public sealed class ImageBuilderManifestGenerator(ManifestGeneratorSettings settings, ILogger<ImageBuilderManifestGenerator> logger) : IManifestGenerator
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <inheritdoc />
    public string Name => "image-builder";

    /// <inheritdoc />
    /// <remarks>Runs <c>image-builder --version</c> (deprecated in newer releases in favour of <c>version</c>, but the
    /// only form every release knows), which prints YAML: <c>image-builder:</c> / <c>  version: 79</c> /
    /// <c>  commit: …</c> / <c>  dependencies: …</c>.</remarks>
    public async Task<string?> VersionAsync(CancellationToken cancellationToken)
    {
        GeneratorOutput output;
        try
        {
            output = await GeneratorProcess.RunAsync(settings.Command, ["--version"], null, TimeSpan.FromMinutes(1), null, logger, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ManifestGeneratorUnavailableException e)
        {
            throw new ManifestGeneratorUnavailableException(
                $"image-builder (command \"{settings.Command}\") cannot be run: {e.InnerException?.Message ?? e.Message}. Install " +
                "image-builder (Fedora/CentOS/RHEL: dnf install image-builder) or set the builder's manifest generator command", e);
        }
        catch (GeneratorTimeoutException e)
        {
            throw new ManifestGeneratorUnavailableException($"\"{settings.Command} --version\" {e.Message}", e);
        }

        var version = output.ExitCode == 0 ? ImageBuilderVersion.Parse(output.Stdout) : null;
        if (version is null)
        {
            throw new ManifestGeneratorUnavailableException(
                $"\"{settings.Command} --version\" did not print an image-builder version (exit code {output.ExitCode}): " +
                ManifestOutput.Tail(output.Stdout + output.Stderr, new Secrets()));
        }

        Log.GeneratorVersion(logger, Name, version);
        return version;
    }

    /// <inheritdoc />
    public async Task<GeneratedManifest> GenerateAsync(ManifestRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var secrets = new Secrets();
        var started = Stopwatch.GetTimestamp();
        Log.Generating(logger, request.Description, Name, request.ImageType.GeneratorType, request.Distribution, request.Arch);
        try
        {
            var arguments = await PrepareAsync(request, secrets, cancellationToken).ConfigureAwait(false);
            var output = await RunAsync(arguments, request, secrets, cancellationToken).ConfigureAwait(false);
            if (output.ExitCode != 0)
            {
                throw ImageBuilderFailure.From(output.ExitCode, output.Stderr, secrets);
            }

            var manifest = ManifestOutput.AsManifest(ManifestOutput.TryParse(output.Stdout))
                ?? throw ManifestOutput.NotAManifest("image-builder", output, secrets);
            var sboms = SbomFiles.Collect(Path.Combine(request.WorkDirectory, "sbom"), request.Description, logger);
            var text = manifest.ToJsonString();
            Log.Generated(logger, request.Description, text.Length, sboms.Count, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return new GeneratedManifest(text, new PipelineNames(request.ImageType.BuildPipelines, request.ImageType.PayloadPipelines), sboms);
        }
        catch (ComposeStepException e)
        {
            Log.GenerationFailed(logger, request.Description, e.Error.Id, e.Error.Reason);
            throw;
        }
    }

    /// <summary>Writes the blueprint and repository file and returns the command's arguments.</summary>
    private async Task<List<string>> PrepareAsync(ManifestRequest request, Secrets secrets, CancellationToken cancellationToken)
    {
        var blueprint = Blueprint.From(request.Customizations, "kojicomposer-image", secrets);
        var repositories = request.Repositories.Count > 0 ? RepositoryFiles.Content(request.Repositories, request.Arch) : null;
        var ostree = OstreeArguments(request.Ostree);

        Directory.CreateDirectory(request.WorkDirectory);
        var blueprintPath = Path.Combine(request.WorkDirectory, "blueprint.json");
        await WritePrivateAsync(blueprintPath, blueprint.ToJsonString(Indented), cancellationToken).ConfigureAwait(false);

        var arguments = new List<string>
        {
            "manifest", request.ImageType.GeneratorType,
            "--distro", request.Distribution,
            "--arch", request.Arch,
            "--blueprint", blueprintPath,
            "--seed", request.Seed.ToString(CultureInfo.InvariantCulture),
            "--use-librepo=" + (settings.UseLibrepo ? "true" : "false"),
        };
        if (repositories is not null)
        {
            var directory = Path.Combine(request.WorkDirectory, "repos");
            await RepositoryFiles.WriteAsync(directory, request.Distribution, repositories, cancellationToken).ConfigureAwait(false);
            arguments.AddRange(["--force-repo-dir", directory]);
        }

        arguments.AddRange(ostree);
        if (settings.RpmmdCache is { Length: > 0 } cache)
        {
            arguments.AddRange(["--rpmmd-cache", cache]);
        }

        // --output-dir is where --with-sbom writes; without SBOMs nothing lands there.
        if (settings.WithSbom)
        {
            var sbomDirectory = Path.Combine(request.WorkDirectory, "sbom");
            Directory.CreateDirectory(sbomDirectory);
            arguments.AddRange(["--with-sbom", "--output-dir", sbomDirectory]);
        }

        return arguments;
    }

    private async Task<GeneratorOutput> RunAsync(List<string> arguments, ManifestRequest request, Secrets secrets, CancellationToken cancellationToken)
    {
        try
        {
            return await GeneratorProcess.RunAsync(settings.Command, arguments, null, settings.Timeout, request.WorkDirectory, logger, cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ManifestGeneratorUnavailableException e)
        {
            throw new ComposeStepException(new JobError(JobErrorCodes.InvalidConfig,
                $"image-builder (command \"{settings.Command}\") cannot be run on this builder: {e.InnerException?.Message ?? e.Message}"), innerException: e);
        }
        catch (GeneratorTimeoutException e)
        {
            // Nearly all of a manifest's time is the depsolve (osbuild-depsolve-dnf fetching repository metadata),
            // so a timeout is composer's DepsolveTimeout (40) rather than a generic generation error.
            throw new ComposeStepException(new JobError(JobErrorCodes.DepsolveTimeout,
                $"image-builder manifest {e.Message} (depsolve timeout)",
                new JsonObject { ["stderr"] = ManifestOutput.Tail(e.Stderr, secrets) }), innerException: e);
        }
    }

    /// <summary>The ostree flags image-builder has: <c>--ostree-ref</c>, <c>--ostree-parent</c>,
    /// <c>--ostree-url</c>. Others (<c>contenturl</c>, <c>rhsm</c>) have none and are refused, not dropped.</summary>
    private static List<string> OstreeArguments(JsonObject? ostree)
    {
        var arguments = new List<string>();
        foreach (var (key, value) in ostree ?? [])
        {
            var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s
                : value is null ? null
                : throw ManifestErrors.BadArguments($"ostree: \"{key}\" must be a string");
            if (string.IsNullOrEmpty(text))
            {
                continue;
            }

            arguments.AddRange(key switch
            {
                "ref" => ["--ostree-ref", text],
                "parent" => ["--ostree-parent", text],
                "url" => ["--ostree-url", text],
                _ => throw ManifestErrors.BadArguments($"ostree: \"{key}\" is not supported by the image-builder manifest generator"),
            });
        }

        return arguments;
    }

    /// <summary>The blueprint may hold passwords and keys: only its owner may read it.</summary>
    private static async Task WritePrivateAsync(string path, string text, CancellationToken cancellationToken)
    {
        var options = new FileStreamOptions
        {
            Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        var stream = new FileStream(path, options);
        await using (stream.ConfigureAwait(false))
        {
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(text), cancellationToken).ConfigureAwait(false);
        }
    }
}
