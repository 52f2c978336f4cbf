using System.CommandLine;
using KojiComposer.Cli.Doctor;
using KojiComposer.Config;
using KojiComposer.Config.Cli;

namespace KojiComposer.Cli.Commands;

/// <summary>
/// <c>kojicomposer doctor</c>: checks this machine's set-up — the CLI profile, the service config, the Kerberos
/// identities, the hub (anonymous, logins, the host's exclusive session without force, the host's channel), the
/// service's <c>/health</c>, and, where the service does not answer or runs here, the store and the builder's tools —
/// one line per check with what to fix. Exits <see cref="ExitCodes.Failure"/> when a check fails, 0 otherwise
/// (warnings included).
/// </summary>
public sealed class DoctorCommand : BaseCommand
{
    private readonly Option<string?> _config = new("--config", "-c")
    {
        Description = $"The service's config (kojicomposerd's) to check too; default {KojiComposerConfiguration.DefaultPath}, skipped with a note when absent",
    };

    public DoctorCommand(CliConsole console)
        : base(console, "doctor", "Check this machine's KojiComposer set-up and say what to fix")
    {
        Add(_config);
    }

    protected override async Task<int> ExecuteAsync(CommandContext context, ParseResult parse, CancellationToken cancellationToken)
    {
        var given = parse.GetValue(_config);
        var report = new DoctorReport(Console.Out, context.Json, context.Quiet);
        var profileName = parse.GetValue(GlobalOptions.Profile) ?? CliProfile.DefaultName;
        var run = new DoctorRun(context, report, profileName, given ?? KojiComposerConfiguration.DefaultPath, given is not null);

        // In order: each check builds on what the ones before it found (see DoctorRun).
        await GuardAsync(run, ProfileCheck.Name, () => ProfileCheck.RunAsync(run)).ConfigureAwait(false);
        await GuardAsync(run, ServiceConfigCheck.Name, () => ServiceConfigCheck.RunAsync(run)).ConfigureAwait(false);
        await GuardAsync(run, "kerberos", () => KerberosCheck.RunAsync(run, cancellationToken)).ConfigureAwait(false);
        await GuardAsync(run, "hub", () => HubCheck.RunAsync(run, cancellationToken)).ConfigureAwait(false);
        await GuardAsync(run, ServiceCheck.Name, () => ServiceCheck.RunAsync(run, cancellationToken)).ConfigureAwait(false);
        await GuardAsync(run, StoreCheck.Name, () => StoreCheck.RunAsync(run, cancellationToken)).ConfigureAwait(false);
        await GuardAsync(run, "builder", () => BuilderCheck.RunAsync(run, cancellationToken)).ConfigureAwait(false);

        await report.FinishAsync().ConfigureAwait(false);
        return report.Failed ? ExitCodes.Failure : ExitCodes.Success;
    }

    /// <summary>A check that stops on an error it did not foresee fails as a check, and the others still run: doctor
    /// exists to list every problem, and with --format json its list must still reach stdout.</summary>
    private static async Task GuardAsync(DoctorRun run, string check, Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await run.AddAsync(CheckResult.Fail(check, e.Message.ReplaceLineEndings(" "), "see the message; the checks below go on without this one")).ConfigureAwait(false);
        }
    }
}
