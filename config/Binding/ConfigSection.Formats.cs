using System.Text.RegularExpressions;

namespace KojiComposer.Config.Binding;

internal sealed partial class ConfigSection
{
    /// <summary>An absolute http or https URL with a host; null when absent (recorded as missing when
    /// <paramref name="required"/>) or invalid.</summary>
    public Uri? Url(string key, bool required = false)
    {
        var text = String(key);
        if (text is null)
        {
            if (required && Lookup(key) is null)
            {
                Missing(key);
            }

            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var url)
            || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps)
            || url.Host.Length == 0)
        {
            Error(key, $"must be an absolute http or https URL, got {ConfigText.Quote(text)}");
            return null;
        }

        return url;
    }

    /// <summary>A Kerberos principal of the form <c>name[/instance]@REALM</c>; null when absent or malformed.</summary>
    public string? Principal(string key)
    {
        var text = String(key);
        if (text is not null && !PrincipalPattern().IsMatch(text))
        {
            Error(key, $"must look like name[/instance]@REALM, got {ConfigText.Quote(text)}");
            return null;
        }

        return text;
    }

    /// <summary>An absolute path (the service runs from /, so a relative path would not mean what it says);
    /// null when absent or relative.</summary>
    public string? AbsolutePath(string key)
    {
        var text = String(key);
        if (text is not null && !System.IO.Path.IsPathFullyQualified(text))
        {
            Error(key, $"must be an absolute path, got {ConfigText.Quote(text)}");
            return null;
        }

        return text;
    }

    /// <summary>An absolute path to a file this process can open for reading, checked now so a wrong path fails
    /// at start-up rather than at the first login. <paramref name="what"/> names the file in the error.</summary>
    public string? ReadableFile(string key, string what)
    {
        var path = AbsolutePath(key);
        if (path is not null && FileProbe.WhyUnreadable(path) is { } reason)
        {
            Error(key, $"cannot read {what} {ConfigText.Quote(path)}: {reason}");
            return null;
        }

        return path;
    }

    // One name, an optional instance, a realm; no component may be empty or hold '/', '@' or whitespace.
    [GeneratedRegex(@"^[^/@\s]+(/[^/@\s]+)?@[^/@\s]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PrincipalPattern();
}
