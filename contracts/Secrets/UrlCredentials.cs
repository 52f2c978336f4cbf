using System.Text.RegularExpressions;

namespace KojiComposer.Contracts.Secrets;

/// <summary>
/// Credentials in URLs (<c>https://user:password@host/…</c>, as repository and proxy URLs carry them) masked
/// wherever text leaves the process for people: errors, logs, task attachments. One rule for the builder and the
/// Koji task intake.
/// </summary>
public static partial class UrlCredentials
{
    /// <summary>What a secret is replaced by.</summary>
    public const string Mask = "<redacted>";

    // scheme://userinfo@ — the userinfo runs up to the last '@' before the host (a sloppy password may hold an
    // unencoded '@'), never past a '/', '?', '#', whitespace or a quote, so a path's '@' is left alone.
    [GeneratedRegex("""(?<scheme>\b[A-Za-z][A-Za-z0-9+.\-]*://)[^/?#\s"'<>\\]+@""", RegexOptions.CultureInvariant)]
    private static partial Regex UserInfo();

    /// <summary><paramref name="text"/> with the userinfo of every URL in it (<c>https://user:pass@host</c> →
    /// <c>https://&lt;redacted&gt;@host</c>) masked.</summary>
    public static string Redact(string text) =>
        text.Contains("://", StringComparison.Ordinal) ? UserInfo().Replace(text, "${scheme}" + Mask + "@") : text;
}
