using KojiComposer.Config;

namespace KojiComposer.Cli.Doctor;

/// <summary>Check 1, <c>cli profile</c>: which cli.toml files were read, the profile they make, its hub and service.</summary>
internal static class ProfileCheck
{
    public const string Name = "cli profile";

    /// <summary>The warning about the profiles not selected.</summary>
    public const string OthersName = "cli other profiles";

    private const string Example = "[koji] with server = \"https://koji.example.com/kojihub\" and service = \"https://kojicomposer.example.com\"";

    public static async Task RunAsync(DoctorRun run)
    {
        var context = run.Context;
        var files = context.ProfileFiles;
        var read = files.Where(File.Exists).ToArray();
        var readText = read.Length == 0 ? $"no cli.toml found (looked for {string.Join(", ", files)})" : $"read {string.Join(", ", read)}";
        try
        {
            run.Profile = context.Profile;
        }
        catch (ConfigurationException e)
        {
            await run.AddAsync(CheckResult.Fail(Name, $"{Problems(e.Errors.Count)}:\n{e.Message}", "correct the keys named above (each line is file:line: profile.key: problem)")).ConfigureAwait(false);
            return;
        }
        catch (ArgumentException e)
        {
            await run.AddAsync(CheckResult.Fail(Name, e.Message, "pass an absolute http or https URL")).ConfigureAwait(false);
            return;
        }

        var profile = run.Profile;
        var summary = $"[{profile.Name}]: hub {Show(profile.Server)}, service {Show(profile.Service)} ({readText})";
        if (profile.Server is null)
        {
            var fix = profile.Sources.Count == 0
                ? $"create {CliConfigurationUserPath(context)} with {Example}, or pass --hub URL"
                : $"set server = \"https://koji.example.com/kojihub\" in [{profile.Name}] of {profile.Sources[^1]}, or pass --hub URL";
            await run.AddAsync(CheckResult.Warn(Name, summary + "; no Koji hub, so nothing can be submitted or watched", fix)).ConfigureAwait(false);
        }
        else
        {
            await run.AddAsync(CheckResult.Ok(Name, summary)).ConfigureAwait(false);
        }

        if (context.OtherProfilesProblems is { Count: > 0 } others)
        {
            var names = string.Join(", ", others.Select(e => $"[{e.Key.Split('.')[0]}]").Distinct(StringComparer.Ordinal));
            await run.AddAsync(CheckResult.Warn(OthersName, $"{names}: {Problems(others.Count)}, which matter only when chosen with -p, not for [{profile.Name}]:\n{string.Join('\n', others)}",
                "correct the keys named above, or remove the profiles nobody uses here")).ConfigureAwait(false);
        }
    }

    private static string Show(Uri? url) => url is null ? "none" : DoctorRun.Show(url);

    private static string Problems(int count) => count == 1 ? "1 problem" : $"{count} problems";

    private static string CliConfigurationUserPath(CommandContext context) =>
        context.ProfileFiles.Count > 0 ? context.ProfileFiles[^1] : "~/.config/kojicomposer/cli.toml";
}
