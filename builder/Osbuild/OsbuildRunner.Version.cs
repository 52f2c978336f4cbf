using System.ComponentModel;
using System.Diagnostics;
using System.Text.RegularExpressions;

namespace KojiComposer.Builder.Osbuild;

/// <summary><c>osbuild --version</c>.</summary>
public sealed partial class OsbuildRunner
{
    private static readonly TimeSpan VersionTimeout = TimeSpan.FromSeconds(60);

    /// <inheritdoc />
    public async Task<string> VersionAsync(CancellationToken cancellationToken)
    {
        var osbuild = OsbuildExecutable.Resolve(settings.Osbuild, "osbuild");
        var start = new ProcessStartInfo(osbuild)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--version");
        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new OsbuildUnavailableException($"osbuild ({osbuild}) could not be started: {e.Message}", e);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(VersionTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            cancellationToken.ThrowIfCancellationRequested();
            throw new OsbuildUnavailableException($"osbuild ({osbuild}) --version did not answer within {VersionTimeout.TotalSeconds:0} s");
        }

        var output = (await stdout.ConfigureAwait(false)).Trim();
        var errors = (await stderr.ConfigureAwait(false)).Trim();
        if (process.ExitCode != 0)
        {
            throw new OsbuildUnavailableException($"osbuild ({osbuild}) --version exited with code {process.ExitCode}: {FirstLine(errors.Length > 0 ? errors : output)}");
        }

        var match = VersionLine().Match(output);
        return match.Success
            ? match.Groups[1].Value
            : throw new OsbuildUnavailableException($"osbuild ({osbuild}) --version printed {Quote(output)} instead of \"osbuild <version>\"");
    }

    private static string FirstLine(string text) => text.Length == 0 ? "no output" : text.Split('\n', 2)[0];

    private static string Quote(string text) => text.Length == 0 ? "nothing" : "\"" + (text.Length > 200 ? text[..200] + "…" : text) + "\"";

    // "osbuild 191": one line, the number maybe dotted (a development build).
    [GeneratedRegex(@"\Aosbuild ([0-9][0-9A-Za-z.+~-]*)\z", RegexOptions.CultureInvariant)]
    private static partial Regex VersionLine();
}
