using KojiComposer.Builder.Worker;
using KojiComposer.Config;
using KojiComposer.HubBridge.Configuration;
using KojiComposer.Service.Hosting;

namespace KojiComposer.Service.Commands;

/// <summary><c>kojicomposerd serve</c>: runs the configured roles until SIGTERM (or Ctrl-C), then stops gracefully:
/// running steps get <c>service.shutdown_grace_seconds</c> to finish before they are handed back.</summary>
public sealed class ServeCommand(ServiceConsole console)
    : ServiceCommand(console, "serve", "Run the service with the configured roles until stopped")
{
    protected override async Task<int> ExecuteAsync(KojiComposerOptions options, CancellationToken cancellationToken)
    {
        if (options.Hub is not null)
        {
            HubConfiguration.ApplyKerberos(options.Kerberos);
        }

        try
        {
            await using var host = ServiceHost.Build(options);
            await host.RunAsync(cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Success;
        }
        catch (BuilderPrerequisiteException e)
        {
            // Logged by the host too; a restart does not help (the builder unit's RestartPreventExitStatus names it).
            await Console.Error.WriteLineAsync($"kojicomposerd {Name}: error: this machine cannot build: {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return ExitCodes.BuilderPrerequisites;
        }
        catch (Exception e)
        {
            // Start-up failures: the address is in use, the store cannot be opened or migrated. One line naming the
            // cause (the host has logged the details), then the exit code.
            await Console.Error.WriteLineAsync($"kojicomposerd {Name}: error: {e.Message.ReplaceLineEndings(" ")}").ConfigureAwait(false);
            return ExitCodes.Failure;
        }
    }
}
