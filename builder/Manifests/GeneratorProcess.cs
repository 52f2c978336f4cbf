using System.ComponentModel;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Manifests;

/// <summary>What a generator process left behind.</summary>
/// <param name="ExitCode">Its exit code.</param>
/// <param name="Stdout">Everything it printed on stdout.</param>
/// <param name="Stderr">Everything it printed on stderr.</param>
internal sealed record GeneratorOutput(int ExitCode, string Stdout, string Stderr);

/// <summary>The generator ran longer than <see cref="ManifestGeneratorSettings.Timeout"/> and was killed.</summary>
internal sealed class GeneratorTimeoutException(TimeSpan timeout, string stderr)
    : Exception($"did not finish within {timeout.TotalSeconds:0} s")
{
    public TimeSpan Timeout { get; } = timeout;

    public string Stderr { get; } = stderr;
}

/// <summary>
/// Runs one manifest generator process (image-builder or a site's command): optional stdin, stdout and stderr read
/// concurrently (a full pipe would stall the child), and the whole process tree killed on cancellation or timeout
/// (image-builder starts osbuild-depsolve-dnf, which must not outlive it).
/// </summary>
internal static class GeneratorProcess
{
    /// <summary>Runs <paramref name="command"/> to the end.</summary>
    /// <exception cref="ManifestGeneratorUnavailableException">The command cannot be started.</exception>
    /// <exception cref="GeneratorTimeoutException">It outlived <paramref name="timeout"/> (it was killed).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (it was killed).</exception>
    public static async Task<GeneratorOutput> RunAsync(
        string command, IEnumerable<string> arguments, string? stdin, TimeSpan timeout, string? workingDirectory,
        ILogger logger, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(command)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? string.Empty,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new ManifestGeneratorUnavailableException($"\"{command}\" cannot be started: {e.Message}", e);
        }

        Log.GeneratorStarted(logger, command, process.Id);
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            await WriteStdinAsync(process, stdin, deadline.Token).ConfigureAwait(false);
            await process.WaitForExitAsync(deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process, logger, command);
            var tail = await DrainAsync(stderr).ConfigureAwait(false);
            await DrainAsync(stdout).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new GeneratorTimeoutException(timeout, tail);
        }

        return new GeneratorOutput(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    private static async Task WriteStdinAsync(Process process, string? stdin, CancellationToken cancellationToken)
    {
        try
        {
            if (stdin is not null)
            {
                await process.StandardInput.WriteAsync(stdin.AsMemory(), cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // The child exited without reading all of its stdin (image-builder reads none); its exit code and stderr
            // tell what happened.
        }
    }

    private static void Kill(Process process, ILogger logger, string command)
    {
        try
        {
            process.Kill(entireProcessTree: true);
            Log.GeneratorKilled(logger, command, process.Id);
        }
        catch (InvalidOperationException)
        {
            // It had exited already.
        }
    }

    private static async Task<string> DrainAsync(Task<string> reading)
    {
        try
        {
            return await reading.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or IOException)
        {
            return string.Empty;
        }
    }
}
