using System.Text.RegularExpressions;

namespace KojiComposer.Contracts.Secrets;

/// <summary>
/// Presigned and SAS URLs carry a bearer signature in their query (<c>X-Amz-Signature=</c>, <c>X-Goog-Signature=</c>,
/// Azure's <c>sig=</c>). An <c>aws.s3</c> result URL is such a URL and is the result users ask for, so it stays in
/// compose-status.json, the API and the CG metadata (composer's behaviour); everywhere else (logs, pages, errors)
/// its query is masked with this.
/// </summary>
public static partial class PresignedUrls
{
    // A URL up to whitespace or a quote whose query holds a signature parameter: the whole query goes.
    [GeneratedRegex("""(?<base>\b[A-Za-z][A-Za-z0-9+.\-]*://[^\s"'<>?]+)\?(?<query>[^\s"'<>]*)""", RegexOptions.CultureInvariant)]
    private static partial Regex UrlWithQuery();

    // After '?', '&', or a JSON-escaped '&' (\u0026: System.Text.Json's default encoder writes that).
    [GeneratedRegex(@"(^|&|\\u0026)(X-Amz-Signature|X-Amz-Credential|X-Goog-Signature|X-Goog-Credential|sig|Signature)=", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex SignatureParameter();

    /// <summary><paramref name="text"/> with the query of every signed URL replaced by <see cref="UrlCredentials.Mask"/>,
    /// and URL userinfo masked too.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var masked = UrlCredentials.Redact(text);
        return masked.Contains('?', StringComparison.Ordinal)
            ? UrlWithQuery().Replace(masked, m => SignatureParameter().IsMatch(m.Groups["query"].Value) ? $"{m.Groups["base"].Value}?{UrlCredentials.Mask}" : m.Value)
            : masked;
    }
}
