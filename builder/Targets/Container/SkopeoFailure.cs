using System.Text.RegularExpressions;
using KojiComposer.Contracts.Errors;

namespace KojiComposer.Builder.Targets.Container;

/// <summary>
/// Turns a failed skopeo run into a target failure: its reason is skopeo's fatal message (containers/image prints
/// <c>level=fatal msg="…"</c>), else the last lines of its stderr, with any secret masked. Rejected credentials are
/// configuration (2) with a hint; network trouble (refused or reset connections, timeouts, 429 and 5xx answers) is
/// (also a connection the registry dropped: <c>Get "http://…": EOF</c>) transient; everything else, like a broken archive, fails the push (11) for good.
/// </summary>
internal static partial class SkopeoFailure
{
    private const int MaxReason = 2000;

    /// <summary>The failure of skopeo <paramref name="command"/> for <paramref name="reference"/>.</summary>
    public static TargetFailedException From(string command, ContainerReference reference, SkopeoRun run, IEnumerable<string> secrets)
    {
        var reason = Mask(Reason(run.Error), secrets);
        var what = $"skopeo {command} {reference} failed (exit code {run.ExitCode}): {reason}";
        if (UnauthorizedPattern().IsMatch(reason))
        {
            return new TargetFailedException(JobErrorCodes.InvalidTargetConfig,
                $"{what} (the registry {reference.Registry} refused the credentials: check auth_file_path, or username and password_file, in [builder.targets.container])");
        }

        if (PlainHttpPattern().IsMatch(reason))
        {
            return new TargetFailedException(JobErrorCodes.InvalidTargetConfig,
                $"{what} (the registry {reference.Registry} speaks plain http: set tls_verify = false in [builder.targets.container] if that is meant)");
        }

        if (CertificatePattern().IsMatch(reason))
        {
            return new TargetFailedException(JobErrorCodes.InvalidTargetConfig,
                $"{what} (the certificate of {reference.Registry} is not trusted: put its CA in cert_path of [builder.targets.container])");
        }

        return TargetFailedException.Upload(what, isTransient: TransientPattern().IsMatch(reason));
    }

    /// <summary>skopeo's fatal or error messages, else its last non-empty lines.</summary>
    internal static string Reason(string stderr)
    {
        var messages = MessagePattern().Matches(stderr).Select(m => Unescape(m.Groups[1].Value)).ToList();
        var reason = messages.Count > 0
            ? string.Join("; ", messages.TakeLast(3))
            : string.Join(" | ", stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).TakeLast(5));
        if (reason.Length == 0)
        {
            reason = "no message on stderr";
        }

        return reason.Length <= MaxReason ? reason : "…" + reason[^MaxReason..];
    }

    /// <summary><paramref name="text"/> with every non-empty secret replaced by <c>***</c>.</summary>
    internal static string Mask(string text, IEnumerable<string> secrets) =>
        secrets.Where(s => s.Length > 0).Aggregate(text, (t, s) => t.Replace(s, "***", StringComparison.Ordinal));

    private static string Unescape(string quoted) => quoted.Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    // logrus' text format: time="…" level=fatal msg="…" (quotes inside escaped).
    [GeneratedRegex(@"level=(?:fatal|error) msg=""((?:[^""\\]|\\.)*)""", RegexOptions.CultureInvariant)]
    private static partial Regex MessagePattern();

    [GeneratedRegex(@"unauthorized|authentication required|\bdenied: |access to the resource is denied|invalid username/password", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex UnauthorizedPattern();

    [GeneratedRegex(@"server gave HTTP response to HTTPS client", RegexOptions.CultureInvariant)]
    private static partial Regex PlainHttpPattern();

    [GeneratedRegex(@"x509: |tls: failed to verify certificate", RegexOptions.CultureInvariant)]
    private static partial Regex CertificatePattern();

    [GeneratedRegex(@"connection refused|connection reset|broken pipe|https?://[^""]*"": (?:unexpected )?EOF|use of closed network connection|deadline exceeded|no route to host|network is unreachable|i/o timeout|timeout|timed out|temporary failure in name resolution|too many requests|\b429\b|\b50[0-4]\b|service unavailable|bad gateway|server misbehaving", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex TransientPattern();
}
