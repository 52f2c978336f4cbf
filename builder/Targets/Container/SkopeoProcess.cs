using System.ComponentModel;
using System.Diagnostics;
using KojiComposer.Builder.Osbuild;
using KojiComposer.Contracts.Errors;
using Microsoft.Extensions.Logging;

namespace KojiComposer.Builder.Targets.Container;

/// <summary>
/// The skopeo executable, started with an argument list (no shell, nothing secret on its command line: credentials
/// go in a file). skopeo is one Go process that may start credential helpers; cancelling kills its whole process
/// tree at once (SIGKILL: a push holds nothing that needs a clean stop, and its temporary files live in a directory
/// the target removes).
/// </summary>
internal sealed class SkopeoProcess(string executable, ILogger logger) : ISkopeo
{
    // stderr is progress and one fatal line; its end is what explains a failure.
    private const int ErrorLimit = 16 * 1024;

    // The largest stdout kept: a manifest is a few KiB; registries refuse manifests over 4 MiB.
    private const int OutputLimit = 8 * 1024 * 1024;

    /// <summary>Where <paramref name="executable"/> is, or why it cannot be used.</summary>
    public static (string? Path, string? Problem) Find(string executable)
    {
        try
        {
            return (OsbuildExecutable.Resolve(executable, "skopeo"), null);
        }
        catch (OsbuildUnavailableException e)
        {
            return (null, e.Message);
        }
    }

    /// <inheritdoc />
    public async Task<SkopeoRun> RunAsync(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var (path, problem) = Find(executable);
        if (path is null)
        {
            throw new TargetFailedException(JobErrorCodes.InvalidTargetConfig, $"[builder.targets.container] skopeo: {problem}");
        }

        var start = new ProcessStartInfo(path)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new TargetFailedException(JobErrorCodes.InvalidTargetConfig, $"skopeo ({path}) could not be started: {e.Message}");
        }

        var pid = process.Id;
        Log.SkopeoStarted(logger, pid, string.Join(' ', arguments));
        // skopeo never reads stdin: close it so that a prompt (e.g. for a password) ends instead of waiting.
        process.StandardInput.Close();
        var output = ReadOutputAsync(process.StandardOutput.BaseStream);
        var error = ReadErrorAsync(process.StandardError);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Log.SkopeoKilling(logger, pid);
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // It ended just now.
            }

            using var reap = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await process.WaitForExitAsync(reap.Token).ConfigureAwait(false);
                await Task.WhenAll(output, error).WaitAsync(reap.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Reported below as cancelled all the same; the kill was sent.
            }

            throw new OperationCanceledException($"skopeo {pid} was cancelled and killed", cancellationToken);
        }

        using (var drain = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await Task.WhenAll(output, error).WaitAsync(drain.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // A helper that outlived skopeo holds the pipes: what was read so far has to do.
            }
        }

        var exitCode = process.ExitCode;
        Log.SkopeoEnded(logger, pid, exitCode);
        return new SkopeoRun(exitCode, output.IsCompletedSuccessfully ? output.Result : [], error.IsCompletedSuccessfully ? error.Result : "");
    }

    private static async Task<byte[]> ReadOutputAsync(Stream stream)
    {
        using var memory = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (memory.Length < OutputLimit)
            {
                memory.Write(buffer, 0, (int)Math.Min(read, OutputLimit - memory.Length));
            }
        }

        return memory.ToArray();
    }

    private static async Task<string> ReadErrorAsync(StreamReader reader)
    {
        var tail = new TextTail(ErrorLimit);
        var buffer = new char[4096];
        int read;
        while ((read = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            tail.Append(new string(buffer, 0, read));
        }

        return tail.ToString();
    }
}
