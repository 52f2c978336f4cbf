using System.Text.RegularExpressions;
using KojiComposer.Config;
using KojiComposer.Contracts.Errors;
using KojiComposer.Contracts.Targets;

namespace KojiComposer.Builder.Targets.Container;

/// <summary>
/// Where an image is pushed: <c>&lt;registry&gt;/&lt;repository&gt;:&lt;tag&gt;</c> (cloud-targets.md §6). The name is the
/// task's <c>name</c> or else the compose's distribution; the tag is the task's <c>tag</c> only when a name is given
/// (composer ignores a tag without a name), else a UUID. A name without a registry host gets
/// <c>domain/path_prefix/</c> in front, as composer's <c>[containers]</c> does.
/// </summary>
internal sealed partial record ContainerReference(string Registry, string Repository, string Tag)
{
    // Docker distribution's reference grammar (distribution/reference): a repository is at most 255 characters of
    // '/'-separated lower-case components, a tag is a word character then up to 127 of [A-Za-z0-9_.-].
    private const int MaxNameLength = 255;

    /// <summary><c>registry/repository:tag</c>, the <c>url</c> of the result.</summary>
    public override string ToString() => $"{Registry}/{Repository}:{Tag}";

    /// <summary>The reference of <paramref name="upload"/>.</summary>
    /// <exception cref="TargetFailedException">InvalidTargetConfig (2): the name has no registry host and no
    /// <c>domain</c> is configured. InvalidTarget (4): the name or tag is not a valid reference.</exception>
    public static ContainerReference For(TargetUpload upload, ContainerTargetOptions options)
    {
        ArgumentNullException.ThrowIfNull(upload);
        ArgumentNullException.ThrowIfNull(options);
        var requested = upload.Options as ContainerUploadOptions ?? new ContainerUploadOptions(null, null);
        var name = requested.Name ?? upload.Distribution;
        var tag = (requested.Name is not null ? requested.Tag : null) ?? TagOf(upload.GeneratedName);

        string registry;
        string repository;
        var fromDomain = false;
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash > 0 && IsHost(name[..slash]))
        {
            registry = name[..slash];
            repository = name[(slash + 1)..];
        }
        else if (options.Domain is { Length: > 0 } domain)
        {
            registry = domain.TrimEnd('/');
            fromDomain = true;
            repository = options.PathPrefix?.Trim('/') is { Length: > 0 } prefix ? $"{prefix}/{name}" : name;
        }
        else
        {
            throw new TargetFailedException(JobErrorCodes.InvalidTargetConfig,
                $"the container name \"{name}\" names no registry and [builder.targets.container] has no domain: set domain " +
                "(e.g. registry.example.com) or give a name with a registry host (e.g. registry.example.com/{name})");
        }

        if (!HostPattern().IsMatch(registry) && fromDomain)
        {
            throw new TargetFailedException(JobErrorCodes.InvalidTargetConfig,
                $"[builder.targets.container] domain \"{registry}\" is not a registry host[:port] (no scheme; a path goes in path_prefix)");
        }

        if (!HostPattern().IsMatch(registry))
        {
            throw Invalid($"\"{registry}\" is not a registry host (host name or IP address, optionally :port)");
        }

        if (repository.Length == 0 || repository.Length > MaxNameLength || !repository.Split('/').All(c => ComponentPattern().IsMatch(c)))
        {
            throw Invalid($"\"{repository}\" is not a repository name: 1 to {MaxNameLength} characters of '/'-separated components " +
                "of lower-case letters and digits, separated inside by '.', '_', '__' or '-'");
        }

        if (!TagPattern().IsMatch(tag))
        {
            throw Invalid($"\"{tag}\" is not a tag: 1 to 128 of letters, digits, '_', '.' and '-', not starting with '.' or '-'");
        }

        return new ContainerReference(registry, repository, tag);
    }

    // The generated name is <prefix><uuid>, the same on every try of one upload: its UUID is the tag, so a retried
    // push lands on the same tag instead of leaving a second one behind.
    private static string TagOf(string generatedName) =>
        generatedName.Length >= 36 && Guid.TryParseExact(generatedName[^36..], "D", out var id) ? id.ToString("D") : generatedName;

    // containers/image's rule: the first component is a registry when it holds '.' or ':' or is "localhost".
    private static bool IsHost(string component) =>
        component.Contains('.', StringComparison.Ordinal) || component.Contains(':', StringComparison.Ordinal)
        || string.Equals(component, "localhost", StringComparison.Ordinal);

    private static TargetFailedException Invalid(string reason) => new(TargetFailedException.InvalidTarget, $"invalid container reference: {reason}");

    [GeneratedRegex(@"^(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?$", RegexOptions.CultureInvariant)]
    private static partial Regex HostPattern();

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex ComponentPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex TagPattern();
}
