using System.Globalization;
using KojiComposer.Builder.Manifests;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Builder.Targets;
using KojiComposer.Contracts.Builders;

namespace KojiComposer.Builder.Worker;

/// <summary>
/// What a worker checks before it takes any build (osbuild-run.md §9: image-builder needs osbuild ≥ 190): osbuild
/// is there, runs and is new enough, the manifest generator is there and runs, and every configured cloud target's
/// credentials and tools are usable. The service runs this before
/// any Hangfire server starts, so a machine that cannot build never takes a build step only to fail it; the answer
/// is what the worker advertises (dashboard, <c>/health</c>).
/// </summary>
public static class BuilderPrerequisites
{
    /// <summary>Checks osbuild and the generator of <paramref name="settings"/>.</summary>
    /// <param name="settings">The worker's settings (<see cref="BuilderSettings.Osbuild"/>,
    /// <see cref="BuilderSettings.MinimumOsbuildVersion"/>, <see cref="BuilderSettings.Generator"/>).</param>
    /// <param name="osbuild">Runs <c>osbuild --version</c>.</param>
    /// <param name="generator">Reports the generator's version.</param>
    /// <param name="arches">The architectures this worker builds, as advertised.</param>
    /// <param name="cancellationToken">Stops the checks.</param>
    /// <returns>What this worker advertises.</returns>
    /// <exception cref="BuilderPrerequisiteException">Something is missing or too old; the message says what and
    /// how to fix it.</exception>
    public static async Task<BuilderAdvertisement> CheckAsync(
        BuilderSettings settings,
        IOsbuildRunner osbuild,
        IManifestGenerator generator,
        IReadOnlyList<string> arches,
        CancellationToken cancellationToken,
        UploadTargetSet? targets = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(osbuild);
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(arches);

        var osbuildPath = Locate("osbuild", settings.Osbuild, "install the osbuild package or set builder.osbuild");
        string version;
        try
        {
            version = (await osbuild.VersionAsync(cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (OsbuildUnavailableException e)
        {
            throw new BuilderPrerequisiteException($"osbuild at {osbuildPath} does not run: {e.Message}; reinstall the osbuild package or set builder.osbuild", e);
        }

        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            throw new BuilderPrerequisiteException(
                $"osbuild at {osbuildPath} reports version \"{version}\", not a release number; is builder.osbuild really osbuild?");
        }

        if (number < settings.MinimumOsbuildVersion)
        {
            throw new BuilderPrerequisiteException(
                $"osbuild {number.ToString(CultureInfo.InvariantCulture)} at {osbuildPath} is older than "
                + $"{settings.MinimumOsbuildVersion.ToString(CultureInfo.InvariantCulture)}, the oldest this worker accepts "
                + "(builder.min_osbuild_version); update the osbuild package");
        }

        var generatorSettings = settings.Generator;
        var external = generatorSettings.Kind == ManifestGeneratorKind.External;
        var generatorPath = Locate(
            external ? "the manifest generator" : "image-builder",
            generatorSettings.Command,
            external ? "install it or fix builder.generator.command" : "install the image-builder package or set builder.generator.command");
        string? generatorVersion;
        try
        {
            generatorVersion = await generator.VersionAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (ManifestGeneratorUnavailableException e)
        {
            throw new BuilderPrerequisiteException(
                $"{generator.Name} at {generatorPath} does not run: {e.Message}; "
                + (external ? "fix builder.generator.command" : "reinstall the image-builder package or set builder.generator.command"),
                e);
        }

        // A directory a build cannot write would fail every build this worker takes; say so now, once.
        Writable("builder.store_dir", settings.StoreDirectory);
        Writable("builder.work_dir", settings.WorkDirectory);
        if (targets is not null)
        {
            CheckTargets(targets);
        }

        return new BuilderAdvertisement([.. arches], version, osbuildPath, generator.Name, generatorVersion);
    }

    /// <summary>The configured cloud targets (cloud-targets.md §1: credentials checked at start-up): a target whose
    /// <c>[builder.targets.*]</c> section is present must be usable, without calling the cloud (credential files
    /// parse and hold their keys, executables run). Unconfigured targets are not checked: only images that need them
    /// fail, with InvalidTargetConfig (2).</summary>
    private static void CheckTargets(UploadTargetSet targets)
    {
        var problems = targets.All
            .Where(t => targets.Options.Configured.Contains(t.Type))
            .SelectMany(t => t.CheckConfiguration().Select(p => $"target {t.Type}: {p}"))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (problems.Count > 0)
        {
            throw new BuilderPrerequisiteException(string.Join("; ", problems));
        }
    }

    /// <summary>Makes <paramref name="directory"/> when missing and proves a file can be written in it.</summary>
    private static void Writable(string key, string directory)
    {
        try
        {
            Directory.CreateDirectory(directory);
            var probe = Path.Combine(directory, $".kojicomposer-write-test-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BuilderPrerequisiteException(
                $"{key} {directory} is not a directory this worker can write: {e.Message}; create it for the service's user or set {key}", e);
        }
    }

    /// <summary>The full path of <paramref name="command"/>, found as the runner finds it
    /// (<see cref="OsbuildExecutable.Find"/>): itself when it names a path, else the first executable file of that
    /// name on PATH.</summary>
    private static string Locate(string what, string command, string remedy)
    {
        var found = OsbuildExecutable.Find(command);
        if (found.Path is { } executable)
        {
            return executable;
        }

        if (command.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(command);
            throw new BuilderPrerequisiteException(found.NotExecutable is null
                ? $"{what} not found: {full} does not exist; {remedy}"
                : $"{what} at {full} is not executable; {remedy}");
        }

        var path = found.SearchPath;
        throw new BuilderPrerequisiteException($"{what} not found: \"{command}\" is not on PATH ({(path.Length == 0 ? "PATH is empty" : path)}); {remedy}");
    }
}

/// <summary>The worker cannot build on this machine: osbuild or the manifest generator is missing, does not run, or
/// is too old. The message names what was found and how to fix it.</summary>
public sealed class BuilderPrerequisiteException(string message, Exception? innerException = null) : Exception(message, innerException);
