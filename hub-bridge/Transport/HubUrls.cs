namespace KojiComposer.HubBridge.Transport;

/// <summary>
/// Compares hub URLs the way an operator means them: scheme and host case-insensitively, the scheme's default port
/// implied, a trailing slash ignored (<c>https://Koji.example.com:443/kojihub/</c> is
/// <c>https://koji.example.com/kojihub</c>). Used wherever a compose names its hub and a process must check that it
/// is the hub it has credentials for (the builder's uploads, the scheduler's content-generator steps).
/// </summary>
public static class HubUrls
{
    /// <summary>The URL in a canonical form, or the trimmed text itself when it is not an absolute URL.</summary>
    public static string Normalize(string url)
    {
        var text = url.Trim();
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri))
        {
            return text.TrimEnd('/');
        }

        var port = uri.IsDefaultPort ? "" : ":" + uri.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var path = uri.AbsolutePath.TrimEnd('/');
        return $"{uri.Scheme.ToLowerInvariant()}://{uri.IdnHost.ToLowerInvariant()}{port}{path}{uri.Query}";
    }

    /// <summary>True when both name the same hub endpoint.</summary>
    public static bool Same(string a, string b) => string.Equals(Normalize(a), Normalize(b), StringComparison.Ordinal);
}
