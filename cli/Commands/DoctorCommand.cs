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
        await ProfileCheck.RunAsync(run).ConfigureAwait(false);
        await ServiceConfigCheck.RunAsync(run).ConfigureAwait(false);
        await KerberosCheck.RunAsync(run, cancellationToken).ConfigureAwait(false);
        await HubCheck.RunAsync(run, cancellationToken).ConfigureAwait(false);
        await ServiceCheck.RunAsync(run, cancellationToken).ConfigureAwait(false);
        await StoreCheck.RunAsync(run, cancellationToken).ConfigureAwait(false);
        await BuilderCheck.RunAsync(run, cancellationToken).ConfigureAwait(false);

        await report.FinishAsync().ConfigureAwait(false);
        return report.Failed ? ExitCodes.Failure : ExitCodes.Success;
    }
}
