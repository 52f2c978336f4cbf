using System.Globalization;
using System.Text.RegularExpressions;
using KojiComposer.Config;

namespace KojiComposer.Cli.Doctor;

/// <summary>
/// Check 7, <c>builder …</c>, on a machine whose service config runs the builder role: the configured osbuild exists,
/// answers <c>--version</c> and is new enough, and the manifest generator exists and answers — the part of the
/// worker's own start-up check (builder/Worker/BuilderPrerequisites.cs) that tells whether this machine can build;
/// and its store and work directories can be written. (What the running builders advertise comes from <c>/health</c>:
/// <c>service builders</c>.)
/// </summary>
internal static partial class BuilderCheck
{
    public const string Osbuild = "builder osbuild";
    public const string Generator = "builder manifest generator";
    public const string Directories = "builder directories";

    private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(30);

    public static async Task RunAsync(DoctorRun run, CancellationToken cancellationToken)
    {
        if (run.Options is not { } options || !options.Service.Runs(ServiceRole.Builder))
        {
            return;
        }

        var builder = options.Builder;
        await run.AddAsync(await OsbuildAsync(builder, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        await run.AddAsync(await GeneratorAsync(builder.Generator, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false);
        await run.AddAsync(DirectoriesCheck(builder)).ConfigureAwait(false);
    }

    private static async Task<CheckResult> OsbuildAsync(BuilderOptions builder, CancellationToken cancellationToken)
    {
        const string Remedy = "install the osbuild package, or set builder.osbuild";
        var (path, problem) = Executable.Find("osbuild", builder.Osbuild);
        if (path is null)
        {
            return CheckResult.Fail(Osbuild, problem!, Remedy);
        }

        Executable.Output output;
        try
        {
            output = await Executable.RunAsync(path, ["--version"], VersionTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            return CheckResult.Fail(Osbuild, e.Message, "reinstall the osbuild package, or set builder.osbuild");
        }

        var match = OsbuildVersion().Match(output.Stdout.Trim());
        if (output.ExitCode != 0 || !match.Success)
        {
            return CheckResult.Fail(Osbuild, $"{path} --version {(output.ExitCode != 0 ? $"exited with code {output.ExitCode}: {output.FirstLine}" : $"printed \"{output.FirstLine}\", not \"osbuild <version>\"")}",
                "is builder.osbuild really osbuild? reinstall the osbuild package, or correct builder.osbuild");
        }

        var version = match.Groups[1].Value;
        var minimum = builder.MinimumOsbuildVersion.ToString(CultureInfo.InvariantCulture);
        if (!int.TryParse(version, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return CheckResult.Fail(Osbuild, $"{path}: osbuild \"{version}\" is not a release number; the worker refuses it", "install a released osbuild package");
        }

        return number < builder.MinimumOsbuildVersion
            ? CheckResult.Fail(Osbuild, $"{path}: osbuild {version} is older than {minimum} (builder.min_osbuild_version); the worker will not start", "update the osbuild package")
            : CheckResult.Ok(Osbuild, $"{path}: osbuild {version} (at least {minimum} needed)");
    }

    private static async Task<CheckResult> GeneratorAsync(BuilderGeneratorOptions generator, CancellationToken cancellationToken)
    {
        var external = generator.Kind == GeneratorKind.External;
        var what = external ? "the manifest generator" : "image-builder";
        var remedy = external ? "install it, or correct builder.generator.command" : "install the image-builder package, or set builder.generator.command";
        var (path, problem) = Executable.Find(what, generator.Command);
        if (path is null)
        {
            return CheckResult.Fail(Generator, problem!, remedy);
        }

        Executable.Output output;
        try
        {
            output = await Executable.RunAsync(path, [.. generator.Arguments, "--version"], VersionTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            return CheckResult.Fail(Generator, e.Message, remedy);
        }

        if (external)
        {
            // An external command need not know --version; the worker then advertises no version. It must start.
            var first = output.ExitCode == 0 ? output.Stdout.ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) : null;
            return CheckResult.Ok(Generator, $"{path}: {(first is null ? "runs (no version reported)" : first)}");
        }

        // image-builder prints YAML (cmd/image-builder/version.go): an image-builder mapping with a version.
        var match = output.ExitCode == 0 ? ImageBuilderVersion().Match(output.Stdout.ReplaceLineEndings("\n")) : Match.Empty;
        return match.Success
            ? CheckResult.Ok(Generator, $"{path}: image-builder {match.Groups["version"].Value}")
            : CheckResult.Fail(Generator, $"{path} --version did not print an image-builder version (exit code {output.ExitCode}): {output.FirstLine}",
                "reinstall the image-builder package, or correct builder.generator.command");
    }

    private static CheckResult DirectoriesCheck(BuilderOptions builder)
    {
        var problems = new List<string>();
        var notYet = new List<string>();
        foreach (var (key, directory) in new[] { ("builder.store_dir", builder.StoreDirectory), ("builder.work_dir", builder.WorkDirectory) })
        {
            var existing = directory;
            while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
            {
                existing = parent;
            }

            if (!string.Equals(existing, directory, StringComparison.Ordinal))
            {
                notYet.Add(directory);
            }

            if (!Writable(existing, out var why))
            {
                problems.Add($"{key} {directory}: cannot write in {existing}: {why}");
            }
        }

        if (problems.Count > 0)
        {
            return CheckResult.Fail(Directories, string.Join("\n", problems), "make them writable for the service's user (or run doctor as that user), or set the keys named");
        }

        var created = notYet.Count == 0 ? "" : $" ({string.Join(", ", notYet)} created by the worker at start)";
        return CheckResult.Ok(Directories, $"store_dir {builder.StoreDirectory} and work_dir {builder.WorkDirectory} writable{created}");
    }

    private static bool Writable(string directory, out string? why)
    {
        var probe = Path.Combine(directory, $".kojicomposer-doctor-{Environment.ProcessId}");
        try
        {
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            why = null;
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            why = e.Message;
            return false;
        }
    }

    [GeneratedRegex(@"\Aosbuild ([0-9][0-9A-Za-z.+~-]*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex OsbuildVersion();

    [GeneratedRegex(@"^image-builder:\s*\n(?:[ \t]+.*\n)*?[ \t]+version:[ \t]*""?(?<version>[^""\s]+)""?[ \t]*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex ImageBuilderVersion();
}
