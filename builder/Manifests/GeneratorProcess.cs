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
        var stdout = new PipeText(process.StandardOutput);
        var stderr = new PipeText(process.StandardError);
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
            var tail = await stderr.DrainAsync().ConfigureAwait(false);
            await stdout.DrainAsync().ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new GeneratorTimeoutException(timeout, tail);
        }

        // Bounded: a child the generator left running (a depsolver daemon, a site script's background job) may hold
        // our pipes open for ever after the generator itself exited; what it printed is all there by then.
        return new GeneratorOutput(process.ExitCode, await stdout.DrainAsync().ConfigureAwait(false), await stderr.DrainAsync().ConfigureAwait(false));
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

    /// <summary>Reads a pipe to its end in the background; the text so far can be taken at any time.</summary>
    private sealed class PipeText
    {
        private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);
        private readonly System.Text.StringBuilder _text = new();
        private readonly Task _reading;

        public PipeText(StreamReader reader) => _reading = ReadAsync(reader);

        /// <summary>Everything once the pipe ended, or what arrived within the drain timeout.</summary>
        public async Task<string> DrainAsync()
        {
            try
            {
                await _reading.WaitAsync(DrainTimeout).ConfigureAwait(false);
            }
            catch (Exception e) when (e is TimeoutException or IOException or ObjectDisposedException)
            {
                // The text so far is the answer.
            }

            lock (_text)
            {
                return _text.ToString();
            }
        }

        private async Task ReadAsync(StreamReader reader)
        {
            var buffer = new char[16 * 1024];
            int read;
            while ((read = await reader.ReadAsync(buffer.AsMemory()).ConfigureAwait(false)) > 0)
            {
                lock (_text)
                {
                    _text.Append(buffer, 0, read);
                }
            }
        }
    }
}
