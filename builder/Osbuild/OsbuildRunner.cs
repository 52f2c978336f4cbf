using System.ComponentModel;
using System.Diagnostics;
using KojiComposer.Contracts.Images;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Osbuild;

/// <summary>Runs the real (or a stand-in) osbuild executable named by <see cref="BuilderSettings.Osbuild"/>.</summary>
/// <remarks>osbuild is started through <c>setsid</c> (util-linux): our child is never a process group leader, so
/// setsid calls setsid(2) and execs osbuild in place, and osbuild's pid is the id of its own session and process
/// group. Cancelling then kills the group (<see cref="ProcessGroupKiller"/>).</remarks>
public sealed partial class OsbuildRunner(BuilderSettings settings, ILogger<OsbuildRunner> logger) : IOsbuildRunner
{
    /// <summary>Exports are written without their owners (osbuild-run.md §2): the worker need not chown them.</summary>
    internal const string NoPreserveOwner = "OSBUILD_EXPORT_FORCE_NO_PRESERVE_OWNER";

    /// <inheritdoc />
    public async Task<OsbuildRunResult> RunAsync(OsbuildRunRequest request, IProgress<ImageProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var osbuild = OsbuildExecutable.Resolve(settings.Osbuild, "osbuild");
        var setsid = OsbuildExecutable.Resolve("setsid", "setsid (util-linux, runs osbuild in a process group of its own)");
        var start = new ProcessStartInfo(setsid)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(osbuild);
        foreach (var argument in OsbuildArguments.For(request))
        {
            start.ArgumentList.Add(argument);
        }

        var extra = new List<string>();
        start.Environment[NoPreserveOwner] = "1";
        foreach (var (key, value) in settings.OsbuildEnvironment.Concat(request.Environment))
        {
            start.Environment[key] = value;
            extra.Add(key);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new OsbuildUnavailableException($"osbuild ({osbuild}) could not be started through {setsid}: {e.Message}", e);
        }

        Log.OsbuildStarted(logger, process.Id, request.Export, request.StoreDirectory, request.OutputDirectory,
            extra.Count == 0 ? "none" : string.Join(", ", extra.Distinct(StringComparer.Ordinal)));
        return await SuperviseAsync(process, request.Manifest, progress, cancellationToken).ConfigureAwait(false);
    }

    private async Task<OsbuildRunResult> SuperviseAsync(Process process, string manifest, IProgress<ImageProgress>? progress, CancellationToken cancellationToken)
    {
        var pid = process.Id;
        using var throttle = new ProgressThrottle(progress, settings.ProgressInterval, TimeProvider.System);
        var parser = new JsonSeqMonitorParser(record =>
        {
            if (ImageProgressReader.From(record) is { } value)
            {
                throttle.Offer(value);
            }

            if (record.Message is { } message && string.Equals(record.Origin, "osbuild.monitor", StringComparison.Ordinal))
            {
                Log.OsbuildMessage(logger, pid, message.TrimEnd());
            }
        });

        // All three pipes at once: osbuild writes its monitor with blocking writes, so an undrained stderr stalls the
        // build (osbuild-run.md §2). None takes the token: killing the process group ends them.
        var stdin = OsbuildPipes.WriteAsync(process.StandardInput.BaseStream, manifest);
        var stdout = OsbuildPipes.ReadAllAsync(process.StandardOutput.BaseStream);
        var stderr = OsbuildPipes.PumpAsync(process.StandardError.BaseStream, parser);
        var killer = new ProcessGroupKiller(process, logger);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await killer.StopAsync(settings.KillGrace).ConfigureAwait(false);
            await OsbuildPipes.DrainAsync(OsbuildPipes.CancelDrainTimeout, stdin, stdout, stderr).ConfigureAwait(false);
            throw new OperationCanceledException($"osbuild {pid} was cancelled and its process group stopped", cancellationToken);
        }

        killer.KillLeftovers();
        await OsbuildPipes.DrainAsync(OsbuildPipes.DrainTimeout, stdin, stdout, stderr).ConfigureAwait(false);
        string strayText;
        lock (parser)
        {
            parser.Complete();
            strayText = parser.StrayText;
        }

        throttle.Complete();

        // stdout still open after the drain timeout (a process that escaped with it): what osbuild printed is lost,
        // which classifies as "no output" with the stderr tail.
        var output = stdout.IsCompletedSuccessfully ? stdout.Result : "";
        var result = OsbuildResultClassifier.Classify(process.ExitCode, output, strayText);
        if (result.Error is { } error)
        {
            var details = error.Details?.ToJsonString() ?? "";
            Log.OsbuildFailed(logger, pid, result.Failure.ToString(), $"{error.Reason}: {(details.Length > 4096 ? details[..4096] + "…" : details)}");
        }

        Log.OsbuildEnded(logger, pid, result.ExitCode, result.Success ? "success" : result.Failure.ToString());
        return result;
    }
}
