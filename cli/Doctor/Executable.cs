using System.ComponentModel;
using System.Diagnostics;

namespace KojiComposer.Cli.Doctor;

/// <summary>
/// Finds and runs the builder's tools the way the worker does (builder/Osbuild/OsbuildExecutable.cs: a name with a
/// slash is a path, anything else is looked up on PATH, as execvp(3)), re-implemented here because the CLI must not
/// reference the builder.
/// </summary>
internal static class Executable
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The executable's full path, or null with why not (naming what was searched).</summary>
    public static (string? Path, string? Problem) Find(string what, string command)
    {
        if (command.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.GetFullPath(command);
            return Directory.Exists(path) ? (null, $"{what} {path} is a directory")
                : !File.Exists(path) ? (null, $"{what} not found: {path} does not exist")
                : !IsExecutable(path) ? (null, $"{what} {path} is not executable")
                : (path, null);
        }

        var searchPath = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var directory in searchPath.Split(':'))
        {
            var candidate = Path.GetFullPath(Path.Combine(directory.Length == 0 ? "." : directory, command));
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return (candidate, null);
            }
        }

        return (null, $"{what} not found: \"{command}\" is not on PATH ({(searchPath.Length == 0 ? "PATH is empty" : searchPath)})");
    }

    /// <summary>What a run printed and exited with.</summary>
    public sealed record Output(int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>The first non-empty line of stderr, else of stdout, for messages.</summary>
        public string FirstLine =>
            (Stderr + "\n" + Stdout).ReplaceLineEndings("\n").Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "no output";
    }

    /// <summary>Runs <paramref name="path"/> with <paramref name="arguments"/>, stdin closed, for at most
    /// <paramref name="timeout"/> (then it is killed with its children).</summary>
    /// <exception cref="InvalidOperationException">It could not be started, or did not end in time.</exception>
    public static async Task<Output> RunAsync(string path, IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
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
            throw new InvalidOperationException($"{path} could not be started: {e.Message}", e);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new InvalidOperationException($"{path} did not answer within {timeout.TotalSeconds:0} s");
        }

        return new Output(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    // Any execute bit, as the worker: root may run such a file, and for others the kernel's answer is reported.
    private static bool IsExecutable(string path) => (File.GetUnixFileMode(path) & AnyExecute) != 0;
}
