using System.Text.Json.Nodes;
using KojiComposer.Builder.Catalogue;
using KojiComposer.Contracts.Images;

namespace KojiComposer.Builder.Manifests;

/// <summary>
/// Makes the osbuild manifest of one image (osbuild-run.md §1, §9): <see cref="ImageBuilderManifestGenerator"/> runs
/// <c>image-builder manifest</c>, <see cref="ExternalManifestGenerator"/> a site's own command.
/// </summary>
public interface IManifestGenerator
{
    /// <summary>The generator's name as builders advertise it, e.g. <c>image-builder</c>.</summary>
    string Name { get; }

    /// <summary>The generator's version, or null when it reports none.</summary>
    /// <exception cref="ManifestGeneratorUnavailableException">The generator cannot run here.</exception>
    Task<string?> VersionAsync(CancellationToken cancellationToken);

    /// <summary>Makes the manifest.</summary>
    /// <exception cref="Contracts.Errors.ComposeStepException">The manifest cannot be made: depsolve (5, 20–25),
    /// generation (8), an unknown distro/type (17 or 8), with the generator's own message in the details.</exception>
    Task<GeneratedManifest> GenerateAsync(ManifestRequest request, CancellationToken cancellationToken);
}

/// <summary>What to make a manifest for.</summary>
public sealed record ManifestRequest
{
    /// <summary>Distribution, e.g. <c>rhel-9.6</c>.</summary>
    public required string Distribution { get; init; }

    /// <summary>Architecture, e.g. <c>x86_64</c>.</summary>
    public required string Arch { get; init; }

    /// <summary>The image type's catalogue entry (its generator name, export and pipelines).</summary>
    public required ImageTypeInfo ImageType { get; init; }

    /// <summary>The compose's customizations (composer's shape), converted to a blueprint; or null.</summary>
    public JsonObject? Customizations { get; init; }

    /// <summary>The image request's <c>repositories</c> (composer's shape: <c>baseurl</c>/<c>metalink</c>/
    /// <c>mirrorlist</c>, <c>gpgkey</c>, <c>check_gpg</c>, <c>package_sets</c>, ...); empty for the distro's
    /// own.</summary>
    public JsonArray Repositories { get; init; } = [];

    /// <summary>The image request's <c>ostree</c> object (<c>ref</c>, <c>parent</c>, <c>url</c>, ...), or null.</summary>
    public JsonObject? Ostree { get; init; }

    /// <summary>The compose's seed (same for every image of a compose).</summary>
    public required long Seed { get; init; }

    /// <summary>A directory of this build only, for the blueprint, repository files and SBOMs.</summary>
    public required string WorkDirectory { get; init; }

    /// <summary>Which compose and image, for logs.</summary>
    public required string Description { get; init; }
}

/// <summary>A made manifest.</summary>
/// <param name="Manifest">Manifest v2 JSON text.</param>
/// <param name="Pipelines">Build and payload pipelines (from the catalogue or the generator).</param>
/// <param name="Sboms">SPDX files the generator wrote (full paths), each with the name it gets in Koji
/// (<c>&lt;purpose&gt;-&lt;pipeline&gt;</c>, e.g. <c>buildroot-build</c>); empty when none.</param>
public sealed record GeneratedManifest(string Manifest, PipelineNames Pipelines, IReadOnlyList<GeneratedSbom> Sboms);

/// <summary>One SPDX document the generator wrote.</summary>
/// <param name="Path">Where it is.</param>
/// <param name="Suffix"><c>&lt;purpose&gt;-&lt;pipeline&gt;</c>, e.g. <c>image-os</c>.</param>
public sealed record GeneratedSbom(string Path, string Suffix);

/// <summary>The generator cannot run on this machine (missing, not executable, says nothing sensible).</summary>
public sealed class ManifestGeneratorUnavailableException(string message, Exception? innerException = null)
    : Exception(message, innerException);
